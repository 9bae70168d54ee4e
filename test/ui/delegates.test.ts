// A person changes a room's booking delegates with the mouse: the Booking delegates row's menu, the
// quick pick of people, the delegate row's menu, the modal confirmation, and the second question
// before a room that does not accept requests automatically is left without any delegate. Each
// step is checked on screen and against the emulator's state through the real SDK
// (ListResourceDelegates, as any WorkMail client would read it), including that the other
// delegates stayed and that a declined question wrote nothing.
import * as assert from 'node:assert/strict';
import { ListResourceDelegatesCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import { EMULATOR_CREDENTIALS } from '../../emulator/index';
import { seedOrganization, seedUserByName, shownName } from './seed';
import {
  assertEventually,
  childLabels,
  contextMenu,
  dialogButton,
  expand,
  modalDialog,
  openWorkMailView,
  quickInput,
  quickPickItem,
  row,
  useUiEnvironment,
} from './workbench';

const ADD = 'Add Booking Delegate…';
const REMOVE = 'Remove Booking Delegate';

/** The part of the page's Web Animations API used here (the project compiles without the DOM library). */
interface PageAnimation {
  readonly playState: string;
  readonly effect: { getTiming(): { iterations?: number } } | null;
  readonly finished: Promise<unknown>;
}

function seedResource(name: string): { id: string; name: string } {
  const resource = (seedOrganization('acme').resources ?? []).find((candidate) => candidate.name === name);
  assert.ok(resource, `the sample seed has no resource ${name}`);
  return resource;
}

describe('UI: adding and removing booking delegates', function () {
  this.timeout(180_000);
  const env = useUiEnvironment();
  let orgId: string;
  let region: string;
  let client: WorkMailClient;
  const umar = seedUserByName('acme', 'Umar Farouk');
  const tara = seedUserByName('acme', 'Tara Singh');

  before(async () => {
    const acme = await env.emulator.organizationByAlias('acme');
    orgId = acme.id;
    region = acme.region;
    client = new WorkMailClient({ region, endpoint: env.emulator.url, credentials: EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
  });

  after(() => client?.destroy());

  beforeEach(async () => {
    // Every test starts from the sample seed in a freshly loaded window.
    await env.emulator.reset();
    await env.reload();
    await env.emulator.clearCalls();
  });

  /** The resource's delegates as WorkMail lists them to any client: every page of ListResourceDelegates, as "id:TYPE". */
  async function listedDelegates(resourceId: string): Promise<string[]> {
    const found: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListResourceDelegatesCommand({ OrganizationId: orgId, ResourceId: resourceId, NextToken: nextToken }));
      found.push(...(page.Delegates ?? []).map((delegate) => `${delegate.Id}:${delegate.Type}`));
      nextToken = page.NextToken;
    } while (nextToken);
    return found.sort();
  }

  async function delegateWrites(): Promise<string[]> {
    return (await env.emulator.calls()).flatMap((call) => (call.operation === 'AssociateDelegateToResource' || call.operation === 'DisassociateDelegateFromResource' ? [call.operation] : []));
  }

  /** acme → Resources → the room → Booking delegates, expanded, with its delegate rows loaded. */
  async function showDelegates(roomName: string, count: number) {
    const tree = await openWorkMailView(env.page);
    await expand(row(tree, 1, 'acme '));
    await expand(row(tree, 2, 'Resources'));
    await expand(row(tree, 3, roomName));
    const bookingRow = row(tree, 4, 'Booking delegates');
    await expand(bookingRow);
    let shown: string[] = [];
    await assertEventually(async () => (shown = await delegateRows()).length === count, `the booking delegates of ${roomName} did not load (shown: ${JSON.stringify(shown)})`);
    async function delegateRows(): Promise<string[]> {
      return (await childLabels(tree, bookingRow)).filter((label) => label.startsWith('Booking delegate — '));
    }
    return { tree, bookingRow, delegateRows, delegateRow: (name: string) => row(tree, 5, `Booking delegate — ${name}`) };
  }

  it('adds a person from the Booking delegates row\'s menu and removes them from their row after the confirmation', async () => {
    const page = env.page;
    const atlas = seedResource('room-atlas');
    const before = await listedDelegates(atlas.id);
    assert.ok(!before.some((d) => d.startsWith(`${umar.id}:`)), 'precondition: Umar is not a delegate of room-atlas');
    assert.equal(before.length, 2, 'precondition: room-atlas has the seed\'s two delegates');

    const { bookingRow, delegateRows, delegateRow } = await showDelegates('room-atlas', 2);
    await contextMenu(page, bookingRow, ADD);
    await quickInput(page).waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.type(shownName(umar));
    const item = quickPickItem(page, `person  ${shownName(umar)},`).or(quickPickItem(page, `${shownName(umar)},`)).first();
    await item.waitFor({ timeout: 20_000 });
    await item.click();

    await assertEventually(async () => (await listedDelegates(atlas.id)).includes(`${umar.id}:USER`), 'WorkMail never listed Umar as a delegate of room-atlas');
    assert.deepEqual(await listedDelegates(atlas.id), [...before, `${umar.id}:USER`].sort(), 'the other delegates are kept');
    assert.deepEqual(await delegateWrites(), ['AssociateDelegateToResource'], 'one write');
    await assertEventually(async () => (await delegateRows()).some((label) => label.startsWith(`Booking delegate — ${shownName(umar)}`)), 'the tree does not show Umar under the Booking delegates of room-atlas');
    await assertEventually(async () => /^Booking delegates 3\b/.test((await bookingRow.getAttribute('aria-label')) ?? ''), `the Booking delegates row does not count three: ${await bookingRow.getAttribute('aria-label')}`);

    // The picture for the README: the new delegate among the others, with the menu that removes it.
    // Taken once the add's progress notification has gone (the command has ended) and the menu has
    // finished fading in, so it shows the result and not a frame of an animation.
    const toasts = page.locator('.notifications-toasts');
    await assertEventually(async () => !/Adding a booking delegate/.test((await toasts.textContent().catch(() => '')) ?? ''), 'the add\'s progress notification did not close');
    const umarRow = delegateRow(shownName(umar));
    await umarRow.click({ button: 'right' });
    const removeItem = page.locator('.monaco-menu .action-label', { hasText: REMOVE }).first();
    await removeItem.waitFor({ timeout: 10_000 });
    // Finite animations only: a progress bar may spin for ever.
    await removeItem.evaluate((element) =>
      Promise.all(
        (element.ownerDocument.getAnimations() as PageAnimation[])
          .filter((animation) => animation.playState === 'running' && animation.effect?.getTiming().iterations !== Infinity)
          .map((animation) => animation.finished),
      ),
    );
    await env.screenshot('delegate-change.png');
    await page.keyboard.press('Escape');
    await page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: 5_000 });

    await env.emulator.clearCalls();
    await contextMenu(page, umarRow, REMOVE);
    await modalDialog(page).waitFor({ timeout: 20_000 });
    const question = await modalDialog(page).innerText();
    assert.match(question, new RegExp(`Remove ${shownName(umar)} as booking delegate of room-atlas`), `the confirmation does not name Umar and the room: ${question}`);
    await dialogButton(page, 'Remove').click();

    await assertEventually(async () => !(await listedDelegates(atlas.id)).some((d) => d.startsWith(`${umar.id}:`)), 'WorkMail still lists Umar as a delegate of room-atlas');
    assert.deepEqual(await listedDelegates(atlas.id), before, 'back to the two delegates it had');
    assert.deepEqual(await delegateWrites(), ['DisassociateDelegateFromResource'], 'one write, and no second question: another delegate remains');
    await assertEventually(async () => !(await delegateRows()).some((label) => label.startsWith(`Booking delegate — ${shownName(umar)}`)), 'the tree still shows Umar under room-atlas');
    const rows = await delegateRows();
    assert.ok(rows.some((label) => label.startsWith(`Booking delegate — ${shownName(tara)}`)), `Tara's row went too: ${rows.join(' | ')}`);
  });

  it('the last delegate of a room that does not accept requests automatically: Cancel keeps them, "Remove Last Delegate" removes them', async () => {
    const page = env.page;
    const borealis = seedResource('room-borealis');
    assert.deepEqual(await listedDelegates(borealis.id), [`${umar.id}:USER`], 'precondition: Umar is the only delegate of room-borealis');

    const { delegateRows, delegateRow } = await showDelegates('room-borealis', 1);

    /** Remove Booking Delegate on Umar's row and confirm; answers the second question with `answer`. */
    const removeUmar = async (answer: 'Cancel' | 'Remove Last Delegate'): Promise<void> => {
      await contextMenu(page, delegateRow(shownName(umar)), REMOVE);
      await modalDialog(page).waitFor({ timeout: 20_000 });
      assert.match(await modalDialog(page).innerText(), /Remove Umar Farouk as booking delegate of room-borealis/);
      await dialogButton(page, 'Remove').click();
      // The second question comes only after the writer read the room's other delegates and its booking options.
      let text = '';
      await assertEventually(async () => /is the last booking delegate of room-borealis/.test((text = await modalDialog(page).innerText().catch(() => ''))), `no question before leaving room-borealis without a delegate (dialog: ${text})`);
      assert.match(text, /does not accept booking requests automatically/);
      await dialogButton(page, answer).click();
      await modalDialog(page).waitFor({ state: 'hidden', timeout: 10_000 });
    };

    await removeUmar('Cancel');
    assert.deepEqual(await delegateWrites(), [], 'a write was sent although the question was declined');
    assert.deepEqual(await listedDelegates(borealis.id), [`${umar.id}:USER`]);
    assert.ok((await delegateRows()).some((label) => label.startsWith(`Booking delegate — ${shownName(umar)}`)), 'the tree dropped Umar although nothing was removed');

    await removeUmar('Remove Last Delegate');
    await assertEventually(async () => (await listedDelegates(borealis.id)).length === 0, 'WorkMail still lists a delegate of room-borealis');
    assert.deepEqual(await delegateWrites(), ['DisassociateDelegateFromResource']);
    await assertEventually(async () => (await delegateRows()).length === 0, 'the tree still shows a delegate under room-borealis');
  });
});
