// The part of the access layer that needs the AWS SDK at run time. It is bundled on its own
// (dist/workmail.js) and loaded on first use through ../workmailLoader, so that activating the
// extension does not pay for loading the SDK: most of the extension's bytes are the SDK's.
export { listProfiles } from './credentials';
export { PermissionWriter } from './permissions';
export { PendingWriteStore } from './pendingWrites';
export { WorkMailSession } from './session';
