// The "WorkMail" log channel. Only what an administrator needs to follow a call is written:
// operation, region, organization, duration and outcome. Never credentials or request headers.
import * as vscode from 'vscode';
import type { CallRecord } from './workmail/session';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('WorkMail', { log: true });
}

export function describeCall(record: CallRecord): string {
  const parts = [record.operation, record.region];
  if (record.organizationId) {
    parts.push(record.organizationId);
  }
  parts.push(`${Math.round(record.durationMs)} ms`, record.outcome);
  if (record.requestId) {
    parts.push(`request ${record.requestId}`);
  }
  return parts.join(' · ');
}

export function logCall(log: vscode.LogOutputChannel, record: CallRecord): void {
  if (record.outcome === 'ok') {
    log.info(describeCall(record));
  } else {
    log.warn(describeCall(record));
  }
}
