// Loads the SDK-backed access layer (src/workmail/sdk.ts, bundled as dist/workmail.js next to
// dist/extension.js) the first time a WorkMail call is needed instead of at activation.
// Everything else imports those modules as types only; scripts/build.mjs fails the build if the
// SDK ends up in dist/extension.js again.
import type * as WorkMailSdk from './workmail/sdk';

let loaded: typeof WorkMailSdk | undefined;

export function loadWorkMail(): typeof WorkMailSdk {
  // A plain require of a sibling file: the build keeps it external to the extension bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  loaded ??= require('./workmail.js') as typeof WorkMailSdk;
  return loaded;
}
