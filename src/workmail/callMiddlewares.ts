// What every WorkMail client of a session adds to the SDK's middleware stack: one record per call
// (the call log of the Output channel and the CLI's tests), and a listener on every attempt the
// service throttled (what the scan's adaptive limit slows down on). Both only observe: a failing
// listener never fails the call it describes.
import type { WorkMailClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-workmail';
import type { FinalizeHandler, FinalizeHandlerArguments } from '@smithy/types';
import { isCancellation, isThrottling } from './errors';

export interface CallRecord {
  operation: string;
  region: string;
  organizationId?: string;
  durationMs: number;
  /** 'ok' or the error's code (its name), never its message. */
  outcome: 'ok' | string;
  requestId?: string;
}

/** One record per call, after all of its retries (in the initialize step, outside the retry loop). */
export function recordCalls(client: WorkMailClient, region: string, onCall: (record: CallRecord) => void): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      const input = args.input as { OrganizationId?: unknown };
      const record = (outcome: string, requestId: string | undefined): void => {
        try {
          onCall({
            operation: String(context.commandName ?? 'Unknown').replace(/Command$/, ''),
            region,
            organizationId: typeof input.OrganizationId === 'string' ? input.OrganizationId : undefined,
            durationMs: performance.now() - started,
            outcome,
            requestId,
          });
        } catch {
          // A failing log must never fail the call it describes.
        }
      };
      try {
        const result = await next(args);
        record('ok', (result.output as { $metadata?: { requestId?: string } }).$metadata?.requestId);
        return result;
      } catch (err) {
        const raw = err as { name?: string; $metadata?: { requestId?: string } };
        record(isCancellation(err) ? 'Cancelled' : raw?.name || 'Error', raw?.$metadata?.requestId);
        throw err;
      }
    },
    { step: 'initialize', name: 'workmailCallRecorder', priority: 'high' },
  );
}

/**
 * Tells `listeners` of every attempt the service throttled, including those the SDK retries on
 * its own (one call may be throttled several times before it succeeds). The set is read at each
 * attempt, so listeners added later are heard too.
 */
export function observeThrottling(client: WorkMailClient, region: string, listeners: ReadonlySet<(region: string) => void>): void {
  // Just inside the SDK's retry loop, so it sees each attempt, after deserialization named the error.
  client.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<ServiceInputTypes, ServiceOutputTypes>) => async (args: FinalizeHandlerArguments<ServiceInputTypes>) => {
      try {
        return await next(args);
      } catch (err) {
        if (listeners.size > 0 && isThrottling(err)) {
          for (const listener of [...listeners]) {
            try {
              listener(region);
            } catch {
              // A listener's failure must never fail the call.
            }
          }
        }
        throw err;
      }
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'workmailThrottleObserver' },
  );
}
