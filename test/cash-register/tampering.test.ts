import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli-process.js';
import { configDirFor, newTill, SALE_DAY as START, saleOf } from './till.js';

/** A journal of three sales, closed, with the commands' configuration beside it. */
async function journalOfThreeSales() {
  let now = START;
  const till = await newTill(() => now);
  till.register.started([], '0.1.0');
  for (const receipt of [1, 2, 3]) {
    now += 60_000;
    till.register.sale(saleOf(receipt, 5990 + receipt));
  }
  till.store.close();
  return { till, configDir: await configDirFor(till.stateDir, till.pair.privateKeyPem) };
}

/** What an attacker with the file does: drop the guards, change history. */
function tamper(path: string, sql: string): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER rows_never_updated; DROP TRIGGER rows_never_deleted;');
  db.exec(sql);
  db.close();
}

// Each case starts the command as its own process, compiling on start: more than vitest's default.
describe('a journal changed behind the kiosk’s back', { timeout: 60_000 }, () => {
  let setup: Awaited<ReturnType<typeof journalOfThreeSales>>;

  beforeEach(async () => {
    setup = await journalOfThreeSales();
  });

  it('refuses UPDATE and DELETE while its triggers are in place', () => {
    const db = new Database(setup.till.store.path);
    expect(() => db.exec("UPDATE rows SET data = '{}' WHERE nr = 3")).toThrow(
      /append-only: a row is never changed/,
    );
    expect(() => db.exec('DELETE FROM rows WHERE nr = 3')).toThrow(/append-only: a row is never deleted/);
    expect(() =>
      db.exec("INSERT INTO rows VALUES (9, 0, 'sale', '11001', '{}', NULL, NULL, NULL, 'x', 'y')"),
    ).toThrow(/numbered without gaps/);
    db.close();
  });

  it('verifies before anyone touches it', async () => {
    const verified = await run(['cash-register', 'verify', '--config-dir', setup.configDir]);
    expect(verified.output).toContain('5 rows, 3 signed sales: the chain and every signature hold');
    expect(verified.code).toBe(0);
  });

  it('names the row whose amount was edited by hand, and says the signature no longer holds', async () => {
    tamper(
      setup.till.store.path,
      `UPDATE rows SET data = replace(data, '"amountIn":5992', '"amountIn":992') WHERE nr = 4`,
    );
    const verified = await run(['cash-register', 'verify', '--config-dir', setup.configDir]);
    expect(verified.code).toBe(1);
    expect(verified.output).toContain(
      'row 4 (sale): its content does not match its hash (the row was changed)',
    );
    expect(verified.output).toMatch(/row 4 \(sale\): the signature does not hold for "[^"]+;9\.92;/);
    expect(verified.output).toContain('is broken at row 4');
  });

  it('finds an edit whose hashes were recomputed too: the signature still gives it away', async () => {
    const { rowHash } = await import('../../device/cash-register/journal-store.js');
    type Raw = Parameters<typeof rowHash>[0] & { trans_nr: number; key_version: number; prev_hash: string };
    const db = new Database(setup.till.store.path);
    db.exec('DROP TRIGGER rows_never_updated;');
    const rows = db.prepare('SELECT * FROM rows ORDER BY nr').all() as Raw[];
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const data = r.nr === 4 ? String(r.data).replace('"amountIn":5992', '"amountIn":992') : r.data;
      const row = {
        nr: r.nr,
        at: r.at,
        kind: r.kind,
        code: r.code,
        data,
        transNr: r.trans_nr,
        signature: r.signature,
        keyVersion: r.key_version,
        prevHash: prev,
      };
      prev = rowHash(row);
      db.prepare('UPDATE rows SET data = ?, prev_hash = ?, hash = ? WHERE nr = ?').run(
        data,
        row.prevHash,
        prev,
        r.nr,
      );
    }
    db.close();
    const verified = await run(['cash-register', 'verify', '--config-dir', setup.configDir]);
    expect(verified.code).toBe(1);
    expect(verified.output).toMatch(/row 4 \(sale\): the signature does not hold/);
    expect(verified.output).not.toContain('does not match its hash');
  });

  it('names the gap a deleted row leaves and the row that no longer chains', async () => {
    tamper(setup.till.store.path, 'DELETE FROM rows WHERE nr = 3');
    const verified = await run(['cash-register', 'verify', '--config-dir', setup.configDir]);
    expect(verified.code).toBe(1);
    expect(verified.output).toContain('row 4 (sale): row 3 missing (deleted)');
    expect(verified.output).toContain('row 4 (sale): it does not chain to the row before it');
    expect(verified.output).toContain('row 4 (sale): the signature does not hold');
  });
});
