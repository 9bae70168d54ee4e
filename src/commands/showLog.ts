/** Show log: open the "WorkMail" output channel (every call, its duration and outcome). */
import type { FoundationCommandDeps } from './foundationDeps';

export function showLogCommand(deps: FoundationCommandDeps) {
  return (): void => {
    deps.log.show(true);
  };
}
