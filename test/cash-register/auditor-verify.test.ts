import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../device/cash-register/signing.js';
import { run } from '../support/cli-process.js';
import { newTill, SALE_DAY, saleOf } from './till.js';

// An auditor holds a copy of the journal and the public key from the declaration, nothing else: no
// config.json, no secrets.json. `cash-register verify --public-key FILE --state-dir DIR` is for them.

async function auditorsCopy() {
  let now = SALE_DAY;
  const till = await newTill(() => now);
  till.register.started([], '0.1.0');
  for (const receipt of [1, 2]) {
    now += 60_000;
    till.register.sale(saleOf(receipt, 5990));
  }
  till.store.close();
  const keyFile = join(till.stateDir, 'declared-public-key.pem');
  await writeFile(keyFile, till.pair.publicKeyPem);
  return { till, keyFile };
}

// No --config-dir: a command that read the configuration would fail on the default folder, absent here.
const verify = (keyFile: string, stateDir: string) =>
  run(['cash-register', 'verify', '--public-key', keyFile, '--state-dir', stateDir]);

describe('an auditor verifying with the public key alone', { timeout: 60_000 }, () => {
  it('finds the chain and signatures sound, then names a row edited by hand', async () => {
    const { till, keyFile } = await auditorsCopy();
    const sound = await verify(keyFile, till.stateDir);
    expect(sound.output).toContain('4 rows, 2 signed sales: the chain and every signature hold');
    expect(sound.code).toBe(0);

    const db = new Database(till.store.path);
    db.exec('DROP TRIGGER rows_never_updated');
    db.exec(`UPDATE rows SET data = replace(data, '"amountIn":5990', '"amountIn":990') WHERE nr = 4`);
    db.close();
    const edited = await verify(keyFile, till.stateDir);
    expect(edited.code).toBe(1);
    expect(edited.output).toContain('row 4 (sale): its content does not match its hash');
  });

  it('refuses a public key the journal never used', async () => {
    const { till } = await auditorsCopy();
    const other = join(till.stateDir, 'other.pem');
    await writeFile(other, generateSigningKey().publicKeyPem);
    const refused = await verify(other, till.stateDir);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('is not a public key this journal took into use');
    const usage = await run(['cash-register', 'verify', '--public-key', other]);
    expect(usage.code).not.toBe(0);
    expect(usage.output).toContain('--public-key needs --state-dir');
  });
});
