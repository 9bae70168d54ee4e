// Multi-step questions over one typed state object, with Back (the quick-input sample's pattern):
// each step fills in its part of the state; a step answered ahead of time (by the node or the
// command's arguments) asks nothing and is skipped by Back.
import { BackRequestedError } from './quickPick';

/** One question of a multi-step flow, filling in its part of the flow's typed state `S`. */
export interface WizardStep<S> {
  /** Answered ahead of time (options or the node): no question, and Back skips over it. */
  readonly answered: boolean;
  run(state: S, back: boolean): Promise<void>;
}

/**
 * Runs the steps in order over one state object; Back returns to the previous step that asked
 * something (which fills its part in again). Resolves to the state once every step has run.
 */
export async function runWizard<S>(state: S, steps: ReadonlyArray<WizardStep<S>>): Promise<S> {
  let index = 0;
  while (index < steps.length) {
    const step = steps[index] as WizardStep<S>;
    const canGoBack = steps.slice(0, index).some((earlier) => !earlier.answered);
    try {
      await step.run(state, canGoBack);
      index++;
    } catch (err) {
      if (!(err instanceof BackRequestedError)) {
        throw err;
      }
      do {
        index--;
      } while (index > 0 && (steps[index] as WizardStep<S>).answered);
    }
  }
  return state;
}

/** A part of a wizard's state an earlier step sets: missing, the steps are in the wrong order. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`${what} was not chosen by an earlier step`);
  }
  return value;
}
