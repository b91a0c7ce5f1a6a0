import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStaffCard } from '../../device/staff/staff-card.js';
import { configDirFor, newTill } from '../cash-register/till.js';
import { run } from '../support/cli-process.js';

const CARD_KEY = 'cli-test-staff-card-key';

async function kioskDirs(withCardKey = true) {
  const till = await newTill(Date.now);
  till.store.close();
  const configDir = await configDirFor(till.stateDir, till.pair.privateKeyPem);
  if (withCardKey) {
    const secretsFile = join(configDir, 'secrets.json');
    const secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as Record<string, unknown>;
    await writeFile(secretsFile, JSON.stringify({ ...secrets, staffCardKey: CARD_KEY }), { mode: 0o600 });
  }
  return ['--config-dir', configDir, '--state-dir', till.stateDir];
}

// Each command is a real process under tsx (a few seconds each on this machine).
describe('vipps-kiosk staff', { timeout: 90_000 }, () => {
  it('adds an employee (PIN twice on stdin), lists, prints a card that reads back, and removes', async () => {
    const dirs = await kioskDirs();
    const added = await run(['staff', 'add', 'E7', '--name', 'Kari Nordmann', ...dirs], {}, '4711\n4711\n');
    expect(added).toMatchObject({ code: 0 });
    expect(added.output).toContain('added Kari Nordmann (E7)');
    expect(added.output).not.toContain('4711\n');
    const scripted = await run(
      ['staff', 'add', 'E8', '--name', 'Ola', '--pin-stdin', ...dirs],
      {},
      '123456\n',
    );
    expect(scripted.code).toBe(0);
    expect((await run(['staff', 'list', ...dirs])).output).toBe('E7\tKari Nordmann\nE8\tOla\n');

    const card = await run(['staff', 'card', 'E7', ...dirs]);
    expect(card.code).toBe(0);
    const code = /VKSTAFF1\.E7\.[0-9A-F]{20}/.exec(card.output)?.[0] ?? '';
    expect(readStaffCard(code, CARD_KEY)).toEqual({ ok: true, employeeId: 'E7' });
    // The QR of it, drawn in block characters for the terminal or a label printer.
    expect(card.output).toMatch(/[█▀▄]{10}/);

    expect((await run(['staff', 'remove', 'E8', ...dirs])).code).toBe(0);
    expect((await run(['staff', 'list', ...dirs])).output).toBe('E7\tKari Nordmann\n');
  });

  it('refuses two PINs that differ, a PIN that is not 4–8 digits, and a card without the key', async () => {
    const dirs = await kioskDirs(false);
    const differ = await run(['staff', 'add', 'E7', '--name', 'Kari', ...dirs], {}, '4711\n4712\n');
    expect(differ).toMatchObject({ code: 1 });
    expect(differ.output).toContain('the two PINs differ: nothing was added');
    const short = await run(['staff', 'add', 'E7', '--name', 'Kari', '--pin-stdin', ...dirs], {}, '12\n');
    expect(short.output).toContain('the PIN on stdin must be 4–8 digits');
    expect((await run(['staff', 'list', ...dirs])).output).toBe('');
    await run(['staff', 'add', 'E7', '--name', 'Kari', '--pin-stdin', ...dirs], {}, '4711');
    const card = await run(['staff', 'card', 'E7', ...dirs]);
    expect(card.code).toBe(1);
    expect(card.output).toContain('no staffCardKey');
    const unknown = await run(['staff', 'remove', 'E9', ...dirs]);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.output).toContain('there is no employee E9');
  });
});
