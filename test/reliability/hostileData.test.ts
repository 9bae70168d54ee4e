// Hostile text from the service: names, display names, emails and an alias holding markdown, HTML,
// command links, control characters, bidirectional marks, or 10,000 characters. The tree shows them
// as inert, shortened text: labels without controls or bidi marks, tooltips as untrusted markdown
// with everything escaped.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LABEL_MAX, TOOLTIP_VALUE_MAX } from '../../src/tree/display';
import type { ExplorerNode } from '../../src/tree/explorerNode';
import type { GranteeNode } from '../../src/tree/granteeNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import { children, description, freshStart, label, loadAll, mailboxes, organizationNode, treeItem } from '../tree/support';
import type { CaseDescription } from './record';
import { loadSeed, reliabilityLog, restoreSample, sampleSeed } from './support';
import { runCommand } from '../commands/run';

const log = reliabilityLog('host-hostile-data');

const HOSTILE_ORG = 'm-0bad0000000000000000000000000001';
const uuid = (n: number) => `0bad0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PLAIN = uuid(1);

interface Hostile {
  readonly name: string;
  readonly what: string;
  readonly displayName: string;
  readonly email: string;
  /** A piece of the text that must still be visible (escaped) in the tooltip. */
  readonly visible: string;
}

const HOSTILE: readonly Hostile[] = [
  {
    name: 'markdown',
    what: 'markdown emphasis, an image and a link',
    displayName: '**Boss** _urgent_ ![x](https://evil.example/p.png) [open](https://evil.example)',
    email: 'md@hostile.example.com',
    visible: 'Boss',
  },
  {
    name: 'html',
    what: 'HTML tags with an event handler and a command link',
    displayName: '<img src=x onerror="alert(1)"><a href="command:workbench.action.terminal.new">Click</a>',
    email: 'html@hostile.example.com',
    visible: 'onerror',
  },
  {
    name: 'command link',
    what: 'a markdown link to a VS Code command with arguments',
    displayName: '[Grant everyone](command:workmail.grantPermissions?%5B%22all%22%5D) Helpdesk',
    email: 'cmd@hostile.example.com',
    visible: 'Grant',
  },
  {
    name: 'control characters',
    what: 'NUL, BEL, ESC colour codes, CR LF, DEL, C1',
    displayName: 'Ann\u0000\u0007\u001b[31mRed\r\nSecond line\u007f\u0085\u009b',
    email: 'ctrl@hostile.example.com',
    visible: 'Second',
  },
  {
    name: 'bidi marks',
    what: 'right-to-left override, isolates and marks that reverse what is shown',
    displayName: 'Invoice \u202Efdp.exe\u202C \u2067admin\u2069 \u200Fx\u200E\u061C',
    email: 'bidi\u202E@hostile.example.com',
    visible: 'Invoice',
  },
  {
    name: '10,000 characters',
    what: 'a display name and email 10,000 characters long',
    displayName: `Long${'A'.repeat(9_996)}`,
    email: `${'b'.repeat(9_980)}@hostile.example.com`,
    visible: 'LongAAAA',
  },
  {
    name: 'codicon syntax and zero-width',
    what: 'icon syntax, zero-width joiners and a byte-order mark',
    displayName: '$(check) Verified\u200B\u200D\uFEFF Admin',
    email: 'icon@hostile.example.com',
    visible: 'Verified',
  },
];

function hostileSeed(): unknown {
  const seed = sampleSeed() as { accounts: Array<{ organizations: unknown[] }> };
  const users = [
    { id: PLAIN, name: 'plain.user', displayName: 'Plain User', email: 'plain.user@hostile.example.com' },
    ...HOSTILE.map((h, i) => ({ id: uuid(100 + i), name: `hostile${i}`, displayName: h.displayName, email: h.email })),
  ];
  seed.accounts[0]?.organizations.push({
    id: HOSTILE_ORG,
    alias: 'hostile',
    region: 'us-east-1',
    defaultMailDomain: '<b>[x](command:workbench.action.terminal.new)</b>\u202E',
    users,
    // Every hostile user holds a right on plain.user's mailbox, so each also shows as a grantee.
    grants: HOSTILE.map((_, i) => ({ mailbox: PLAIN, grantee: uuid(100 + i), rights: ['SEND_AS'] })),
  });
  return seed;
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_LABEL = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/;

function checkLabelText(text: string, where: string): void {
  assert.doesNotMatch(text, FORBIDDEN_IN_LABEL, `${where}: no control, bidi or invisible characters (${JSON.stringify(text.slice(0, 80))})`);
  assert.ok(Array.from(text).length <= LABEL_MAX, `${where}: at most ${LABEL_MAX} characters, has ${Array.from(text).length}`);
}

function checkTooltip(node: ExplorerNode, visible: string, where: string): string {
  const tooltip = treeItem(node).tooltip;
  assert.ok(tooltip instanceof vscode.MarkdownString, `${where}: the tooltip is a MarkdownString`);
  assert.equal(tooltip.isTrusted, false, `${where}: untrusted, so no command link can run`);
  assert.equal(tooltip.supportHtml, false, `${where}: no HTML`);
  assert.notEqual(tooltip.supportThemeIcons, true, `${where}: no icon syntax`);
  const value = tooltip.value;
  assert.doesNotMatch(value, /(?<!\\)\]\(/, `${where}: no live markdown link or image`);
  assert.ok(!value.includes('<'), `${where}: no raw '<' (HTML)`);
  // Line breaks are the tooltip's own layout; nothing else invisible may be there.
  assert.doesNotMatch(value.replace(/\n/g, ''), FORBIDDEN_IN_LABEL, `${where}: no control or bidi characters`);
  assert.ok(value.includes(visible), `${where}: the text is still shown, escaped (${visible})`);
  assert.ok(value.length < TOOLTIP_VALUE_MAX * 12, `${where}: the tooltip is bounded (${value.length} characters)`);
  return value;
}

describe('reliability: hostile data from the service is shown as inert text', function () {
  this.timeout(60_000);
  let users: MailboxNode[] = [];
  let grantees: GranteeNode[] = [];

  before(async () => {
    await freshStart();
    // After freshStart: its reset without a body would go back to the emulator's starting seed.
    await loadSeed(hostileSeed());
    await vscode.commands.executeCommand('workmail.refresh');
    const org = await organizationNode('hostile');
    const [usersCategory] = await children(org);
    users = mailboxes(await loadAll(usersCategory as ExplorerNode));
    const plain = users.find((node) => node.entity.id === PLAIN);
    assert.ok(plain, 'plain.user is listed');
    grantees = (await children(plain)).filter((node) => node.contextValue === 'grantee') as GranteeNode[];
  });

  after(async () => {
    await restoreSample();
    await freshStart();
  });

  HOSTILE.forEach((hostile, index) => {
    const description_: CaseDescription = {
      area: 'hostile data',
      name: hostile.name,
      action: 'show the user as a mailbox and as a grantee (label, description, tooltip)',
      fault: hostile.what,
      expected: `labels without control/bidi/invisible characters, at most ${LABEL_MAX} characters; tooltips untrusted, no HTML, markdown escaped`,
    };
    it(`${hostile.name}: mailbox and grantee items`, async () => {
      await log.check(description_, async () => {
        const id = uuid(100 + index);
        const mailbox = users.find((node) => node.entity.id === id);
        assert.ok(mailbox, `the user ${id} is listed`);
        checkLabelText(label(mailbox), 'mailbox label');
        checkLabelText(description(mailbox), 'mailbox description');
        checkTooltip(mailbox, hostile.visible, 'mailbox tooltip');
        const grantee = grantees.find((node) => node.grant.granteeId === id);
        assert.ok(grantee, `the user ${id} is listed as a grantee of plain.user`);
        assert.ok(grantee.grantee, 'the grantee name was resolved');
        checkLabelText(label(grantee), 'grantee label');
        checkLabelText(description(grantee), 'grantee description');
        checkTooltip(grantee, hostile.visible, 'grantee tooltip');
        return `label ${JSON.stringify(label(mailbox).slice(0, 60))}${label(mailbox).length > 60 ? '…' : ''} (${Array.from(label(mailbox)).length} chars); tooltip escaped and untrusted`;
      });
    });
  });

  it('an organization whose mail domain holds HTML, a command link and a bidi override', async () => {
    await log.check(
      {
        area: 'hostile data',
        name: 'organization mail domain',
        action: 'show the organization item',
        fault: 'defaultMailDomain with <b>, a command: link and U+202E',
        expected: 'tooltip untrusted, escaped, without bidi characters',
      },
      async () => {
        const org = await organizationNode('hostile');
        checkLabelText(label(org), 'organization label');
        const value = checkTooltip(org, 'command:workbench', 'organization tooltip');
        return `tooltip ${JSON.stringify(value.split('\n').find((line) => line.includes('command')) ?? '').slice(0, 120)}`;
      },
    );
  });

  it('notifications and questions name hostile entities as inert text', async () => {
    await log.check(
      {
        area: 'hostile data',
        name: 'names in notifications',
        action: 'revoke a hostile grantee (confirmation question, then the result notification)',
        fault: 'display names with a command: link, control characters and bidi marks',
        expected: 'no live `[text](link)`, no control or bidi characters in any question or message',
      },
      async () => {
        const texts: string[] = [];
        for (const index of [2, 3, 4]) {
          const result = await runCommand<{ outcome: string }>('workmail.revokePermissions', undefined, undefined, {
            organization: 'hostile',
            mailbox: 'plain.user',
            grantee: `hostile${index}`,
            confirm: true,
            observe: (event: { type: string; text?: string; detail?: string }) => {
              if (event.type === 'message' || event.type === 'question') {
                texts.push(`${event.text ?? ''} ${event.detail ?? ''}`);
              }
            },
          });
          assert.equal(result.outcome, 'done', `revoke of hostile${index}`);
        }
        assert.ok(texts.length >= 6, `a question and a message for each revoke (${texts.length})`);
        for (const text of texts) {
          assert.doesNotMatch(text, /\]\(/, `no live markdown link: ${JSON.stringify(text.slice(0, 120))}`);
          assert.doesNotMatch(text, FORBIDDEN_IN_LABEL, `no control or bidi characters: ${JSON.stringify(text.slice(0, 120))}`);
        }
        assert.ok(texts.some((text) => text.includes('Grant everyone')), 'the name is still shown');
        return `${texts.length} questions and messages checked`;
      },
    );
  });
});

