// One line of the doctor's report: what was checked, how it came out, and what was seen, and the
// recorder each concern's checks write them with. Apart from doctor.ts so the checks of each concern
// (routes/doctorRoutes.ts) add lines without importing it.
import { isCancellation, WorkMailError } from './errors';

export type CheckOutcome = 'ok' | 'warning' | 'failed' | 'not-checked';

export interface DoctorCheck {
  readonly name: string;
  readonly outcome: CheckOutcome;
  readonly detail: string;
}

/** Where one concern's checks go: the lines, the variants it could tell, and its read guard. */
export interface CheckRecorder {
  readonly checks: DoctorCheck[];
  readonly variants: Record<string, string>;
  add(name: string, outcome: CheckOutcome, detail: string): void;
  /**
   * Runs one read: its failure becomes the error to report on its line (the doctor goes on with
   * the next check), except a cancellation, which ends the doctor.
   */
  guard<T>(work: () => Promise<T>): Promise<T | WorkMailError>;
}

export function checkRecorder(signal: AbortSignal | undefined): CheckRecorder {
  const checks: DoctorCheck[] = [];
  return {
    checks,
    variants: {},
    add: (name, outcome, detail) => void checks.push({ name, outcome, detail }),
    guard: async (work) => {
      try {
        return await work();
      } catch (err) {
        if (signal?.aborted || isCancellation(err)) {
          throw err;
        }
        return err instanceof WorkMailError ? err : new WorkMailError('UnexpectedError', String(err));
      }
    },
  };
}
