import assert from 'node:assert/strict';
import { isOrganizationUsable, organizationUnusableReason } from '../../src/workmail/organizations';

describe('organizations', () => {
  it('treats Active and Synchronizing organizations as usable, as the permission API documents', () => {
    assert.equal(isOrganizationUsable({ state: 'Active' }), true);
    assert.equal(isOrganizationUsable({ state: 'Synchronizing' }), true);
  });

  it('refuses every other state with a reason that names the organization and what to do', () => {
    for (const state of ['Inactive', 'Creating', 'Deleted', 'Failed']) {
      assert.equal(isOrganizationUsable({ state }), false, state);
      const reason = organizationUnusableReason({ state, alias: 'acme-archive', organizationId: 'm-1' });
      assert.match(reason ?? '', new RegExp(`acme-archive is ${state}`));
      assert.match(reason ?? '', /Activate it in the WorkMail console/);
    }
    assert.equal(organizationUnusableReason({ state: 'Active', alias: 'acme', organizationId: 'm-1' }), undefined);
  });
});
