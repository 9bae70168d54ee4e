// One entry for every destination: plan from (snapshot, mapping, options), render the script or
// checklist. The command line, VS Code and verification all go through these two functions, so a
// script and its verification can never disagree about what was meant to arrive.
import type { AddressMapping, Snapshot } from '../schema';
import type { DestinationOptions, DestinationPlan, DestinationTarget } from './common';
import { planExchange, renderExchange } from './exchange';
import { planGoogle, renderGoogle } from './google';
import { planGrommunio, renderGrommunio } from './grommunio';
import { planZoho, renderZohoCsv, renderZohoMarkdown } from './zoho';

export * from './common';
export { ALIAS, aliasTraceText, type PlannedAlias } from './aliases';
export { BOOKING_DELEGATE, BOOKING_OPTIONS, bookingDelegations, type BookingDelegation, type BookingResource } from './booking';

export function planDestination(target: DestinationTarget, snapshot: Snapshot, mapping: AddressMapping, options: DestinationOptions): DestinationPlan {
  switch (target) {
    case 'exchange':
      return planExchange(snapshot, mapping, options);
    case 'google':
      return planGoogle(snapshot, mapping, options);
    case 'grommunio':
      return planGrommunio(snapshot, mapping, options);
    case 'zoho':
      return planZoho(snapshot, mapping, options);
  }
}

/** Zoho's checklist comes as markdown or CSV; every other destination has one script form. */
export type ChecklistFormat = 'markdown' | 'csv';

export function renderDestination(plan: DestinationPlan, format: ChecklistFormat = 'markdown'): string {
  switch (plan.target) {
    case 'exchange':
      return renderExchange(plan);
    case 'google':
      return renderGoogle(plan);
    case 'grommunio':
      return renderGrommunio(plan);
    case 'zoho':
      return format === 'csv' ? renderZohoCsv(plan) : renderZohoMarkdown(plan);
  }
}

/** The usual file name extension of what renderDestination writes. */
export function scriptExtension(target: DestinationTarget, format: ChecklistFormat = 'markdown'): string {
  return { exchange: 'ps1', google: 'gam.txt', grommunio: 'sh', zoho: format === 'csv' ? 'csv' : 'md' }[target];
}
