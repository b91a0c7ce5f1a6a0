import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';

// polkit runs its rules files as JavaScript in its own interpreter (duktape); here the file runs in a
// fresh V8 context with the one API it uses, `polkit.addRule`, and the answers it gives are read back.

type Rule = (action: { id: string }, subject: { user: string }) => string;

const YES = 'yes';
const NOT_HANDLED = 'not-handled';

function loadRules(): Rule[] {
  const rules: Rule[] = [];
  const polkit = {
    Result: { YES, NO: 'no', NOT_HANDLED, AUTH_ADMIN: 'auth_admin' },
    addRule: (rule: Rule) => rules.push(rule),
  };
  runInNewContext(readFileSync(join(import.meta.dirname, '../../systemd/vipps-kiosk.polkit.rules'), 'utf8'), {
    polkit,
  });
  return rules;
}

it('lets the kiosk user reboot the machine, and nothing else to anyone', () => {
  const [rule, ...more] = loadRules();
  expect(more).toEqual([]);
  const answer = (id: string, user: string) => rule!({ id }, { user });
  expect(answer('org.freedesktop.login1.reboot', 'kiosk')).toBe(YES);
  expect(answer('org.freedesktop.login1.reboot-multiple-sessions', 'kiosk')).toBe(YES);
  for (const id of [
    'org.freedesktop.login1.power-off',
    'org.freedesktop.login1.reboot-ignore-inhibit',
    'org.freedesktop.systemd1.manage-units',
  ])
    expect(answer(id, 'kiosk'), id).toBe(NOT_HANDLED);
  for (const user of ['kiosk-screen', 'tech', 'root'])
    expect(answer('org.freedesktop.login1.reboot', user), user).toBe(NOT_HANDLED);
});
