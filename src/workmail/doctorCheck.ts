// One line of the doctor's report: what was checked, how it came out, and what was seen. Apart from
// doctor.ts so the checks of each concern (routes/doctorRoutes.ts) add lines without importing it.
export type CheckOutcome = 'ok' | 'warning' | 'failed' | 'not-checked';

export interface DoctorCheck {
  readonly name: string;
  readonly outcome: CheckOutcome;
  readonly detail: string;
}
