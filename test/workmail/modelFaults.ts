// The faults both generated-schedule tests (writePath.model.test.ts, delegateWrites.model.test.ts)
// inject into one write, as emulator fault rules on the write operations they name.
import type { FaultRule } from '../../emulator/faults';

export type WriteFault = 'none' | 'hold' | 'resetBefore' | 'resetAfter' | 'serverError' | 'throttleOnce' | 'throttleAlways';

/**
 * `hold`: the request is held `holdMs` (past the client's timeout) and carried out after; `resetBefore` /
 * `resetAfter`: the connection is destroyed before or after WorkMail acts; `serverError`: a 500;
 * `throttleOnce` / `throttleAlways`: ThrottlingException (refused unread) once or on every attempt.
 */
export function writeFaultRules(fault: WriteFault, operations: readonly string[], holdMs: number): FaultRule[] {
  const rule: Omit<FaultRule, 'operation'> | undefined =
    fault === 'hold'
      ? { delayMs: holdMs, times: 1 }
      : fault === 'resetBefore'
        ? { resetConnection: true, times: 1 }
        : fault === 'resetAfter'
          ? { resetConnection: 'after', times: 1 }
          : fault === 'serverError'
            ? { error: 'InternalFailure', status: 500, times: 1 }
            : fault === 'throttleOnce'
              ? { error: 'ThrottlingException', times: 1 }
              : fault === 'throttleAlways'
                ? { error: 'ThrottlingException' }
                : undefined;
  return rule ? operations.map((operation) => ({ operation, ...rule })) : [];
}
