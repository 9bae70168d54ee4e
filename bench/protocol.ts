// What the benchmark's helper processes (the extension-host module and the scan child) report back
// to bench/run.ts: one line with a prefix and a JSON body.

export const HOST_RESULT_PREFIX = 'WORKMAIL-BENCH-HOST:';
export const SCAN_RESULT_PREFIX = 'WORKMAIL-BENCH-SCAN:';

export interface LoggedCallRecord {
  readonly operation?: string;
  readonly status: number;
  readonly errorCode?: string;
  readonly durationMs?: number;
}

export interface GroundTruthGrant {
  readonly mailboxId: string;
  readonly granteeId: string;
  readonly granteeType: 'USER' | 'GROUP';
  readonly rights: readonly string[];
}

export interface MeasuredStep {
  readonly ms: number;
  readonly calls: readonly LoggedCallRecord[];
}

export interface HostResult {
  vscodeVersion?: string;
  nodeVersion?: string;
  alreadyActive?: boolean;
  /** How long the host waited after start before timing activation. */
  settleMs?: number;
  activateMs?: number;
  /** The minimal extension's activation in the same host (bench/minimal-extension). */
  minimalActivateMs?: number;
  /** Whether the minimal extension was activated before the extension in this host. */
  minimalFirst?: boolean;
  minimalAlreadyActive?: boolean;
  /** The warm-up copy of the minimal extension, activated before both (not part of the ratio). */
  warmupActivateMs?: number;
  firstPage?: MeasuredStep & { readonly children: number };
  granteeExpand?: MeasuredStep & {
    readonly mailboxId: string;
    readonly grantees: number;
    readonly granteeNodes: number;
    readonly namedGrantees: number;
    readonly userPagesLoaded: number;
    readonly groupsLoaded: number;
  };
  grant?: MeasuredStep & {
    readonly verified: boolean;
    readonly noop: boolean;
    readonly rightsBefore: readonly string[];
    readonly rightsAfter: readonly string[];
  };
  error?: string;
}

export interface ScanChildInput {
  readonly endpoint: string;
  readonly region: string;
  readonly organizationId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface ScanChildResult {
  readonly durationMs: number;
  readonly mailboxes: number;
  readonly grants: number;
  readonly failures: number;
  readonly failureCodes: Readonly<Record<string, number>>;
  /** Calls as the SDK reported them (one per call, retries included in it). */
  readonly sdkCalls: number;
  readonly sdkCallOutcomes: Readonly<Record<string, number>>;
  /** process.resourceUsage().maxRSS, converted to bytes. */
  readonly maxRssBytes: number;
  /** Highest RSS seen by sampling every 250 ms, as a cross-check of maxRSS. */
  readonly sampledPeakRssBytes: number;
  readonly heapUsedBytesAtEnd: number;
  /** From the start until the directory was listed (pages one after the other: no mailbox is read before). */
  readonly directoryMs?: number;
  /** The adaptive limit when the reads ended (peak, lowest after it, throttles heard, cuts). */
  readonly concurrency?: Readonly<Record<string, number | boolean>>;
}
