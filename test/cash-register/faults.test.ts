import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CashRegister } from '../../device/cash-register/cash-register.js';
import { ClockWentBackwardsError } from '../../device/cash-register/journal-store.js';
import { openCashRegister } from '../../device/cash-register/open-cash-register.js';
import { CashRegisterRecorder } from '../../device/cash-register/recorder.js';
import { generateSigningKey, SigningKeyError, signingKeyOf } from '../../device/cash-register/signing.js';
import { verifyJournal } from '../../device/cash-register/verify.js';
import type { CheckoutDomainEvent } from '../../device/checkout/domain-events.js';
import { parseSettings } from '../../device/config/load.js';
import { run } from '../support/cli-process.js';
import { COMPANY, configDirFor, newTill, saleOf } from './till.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const T0 = Date.parse('2026-11-23T09:00:00Z');

describe('a clock that went backwards', () => {
  it('is refused by the journal itself: nothing is written dated before the last row', async () => {
    const till = await newTill(() => T0);
    till.store.append(T0, 'application.start', {});
    expect(() => till.store.append(T0 - 1_000, 'application.stop', {})).toThrow(ClockWentBackwardsError);
    expect(() => till.store.append(T0 - 1_000, 'application.stop', {})).toThrow(
      'the clock went backwards: 2026-11-23T08:59:59.000Z is before the last cash-register row (2026-11-23T09:00:00.000Z)',
    );
    expect([...till.store.all()]).toHaveLength(1);
  });

  it('keeps the sale: it journals that the clock went back, then the signed sale at the last row’s time', async () => {
    let now = T0;
    const till = await newTill(() => now);
    till.register.started([], '0.1.0');
    now = T0 + 60_000;
    till.register.sale(saleOf(1, 5000));
    now = T0 - 3_600_000; // NTP stepped the clock an hour back
    till.register.sale(saleOf(2, 6000));
    const rows = [...till.store.all()];
    expect(rows.map((r) => [r.kind, r.at])).toEqual([
      ['signing.key', T0],
      ['application.start', T0],
      ['sale', T0 + 60_000],
      ['clock.backwards', T0 + 60_000],
      ['sale', T0 + 60_000],
    ]);
    expect(JSON.parse(rows[3]!.data)).toEqual({
      machineTime: '2026-11-23T08:00:00.000Z',
      lastRowTime: '2026-11-23T09:01:00.000Z',
      journaledAt: 'the last row time',
      row: 'sale',
    });
    expect(JSON.parse(rows[4]!.data).paidAt).toBe(T0);
    expect(verifyJournal(rows, { publicKeys: new Map() }).breaks).toEqual([]);
  });
});

describe('the signing key', { timeout: 60_000 }, () => {
  const settingsWith = (secrets: Record<string, unknown>) =>
    parseSettings(
      {
        device: { id: 'kiosk-07', site: 'oslo-1' },
        vipps: { environment: 'sandbox', baseUrl: 'http://127.0.0.1:9', merchantSerialNumber: '123456' },
        stateDir: '/nonexistent/never-opened',
        cashRegister: COMPANY,
        secrets: { vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' }, ...secrets },
      },
      {},
      { config: 'config.json', secrets: 'secrets.json' },
    );

  it('missing: the cash register does not open, and says what to run', () => {
    expect(() => openCashRegister(settingsWith({}), Date.now)).toThrow(SigningKeyError);
    expect(() => openCashRegister(settingsWith({}), Date.now)).toThrow(
      /no signing key: cashRegister is configured but secrets.cashRegister.signingKey and keyVersion are not both set; run `vipps-kiosk provision`/,
    );
  });

  it('missing: `cash-register public-key` exits 1 with the same words', async () => {
    const till = await newTill(() => T0);
    const dir = await configDirFor(till.stateDir, till.pair.privateKeyPem);
    const secrets = { vipps: { clientId: 'id', clientSecret: 'secret', subscriptionKey: 'key' } };
    await writeFile(join(dir, 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
    const printed = await run(['cash-register', 'public-key', '--config-dir', dir]);
    expect(printed.code).toBe(1);
    expect(printed.output).toContain('the cash register has no signing key');
    expect(printed.output).not.toContain('PRIVATE');
  });

  it('not what Skatteetaten accepts (a 2048-bit key): refused', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const big = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect(() => signingKeyOf(big, 1)).toThrow(/must be RSA 1024-bit with exponent 65537.*2048-bit/);
  });

  it('replaced without a new key version: refused at start, before any sale is signed with it', async () => {
    const till = await newTill(() => T0);
    till.register.started([], '0.1.0');
    const other = signingKeyOf(generateSigningKey().privateKeyPem, 1);
    const imposter = new CashRegister(till.store, other, () => T0);
    expect(() => imposter.started([], '0.1.0')).toThrow(/not the key the journal knows as version 1/);
    const rotated = new CashRegister(till.store, { ...other, version: 2 }, () => T0 + 1);
    rotated.started([], '0.1.0');
    rotated.sale(saleOf(1, 5000));
    const rows = [...till.store.all()];
    expect(rows.at(-1)).toMatchObject({ kind: 'sale', keyVersion: 2 });
    expect(verifyJournal(rows, { publicKeys: new Map() }).breaks).toEqual([]);
  });
});

describe('a journal rebuilt from scratch with another key', () => {
  it('is caught against the declared public key: its key row and every signature', async () => {
    const declared = await newTill(() => T0);
    const forger = await newTill(() => T0);
    forger.register.started([], '0.1.0');
    forger.register.sale(saleOf(1, 5000));
    const rows = [...forger.store.all()];
    expect(verifyJournal(rows, { publicKeys: new Map() }).breaks).toEqual([]);
    expect(verifyJournal(rows, { publicKeys: new Map([[1, declared.pair.publicKeyPem]]) }).breaks).toEqual([
      {
        nr: 1,
        kind: 'signing.key',
        problem: 'the journaled public key of version 1 is not the declared one',
      },
      {
        nr: 3,
        kind: 'sale',
        problem: expect.stringMatching(
          /^the signature does not hold for "0;2026-11-23;10:00:00;1;50.00;43.48" with key version 1$/,
        ),
      },
    ]);
  });
});

describe('a full disk while journaling', () => {
  it('raises a clear fault, loses no sale, and writes the waiting rows in order once there is room', async () => {
    const till = await newTill(() => T0);
    const listeners = new Set<(event: CheckoutDomainEvent) => void>();
    const faults: Array<string | null> = [];
    const recorder = new CashRegisterRecorder({
      register: till.register,
      store: till.store,
      checkout: {
        onDomainEvent: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
      catalog: { all: () => [], onReload: () => () => {} },
      softwareVersion: '0.1.0',
      logger: silent,
      onFault: (message) => faults.push(message),
    });
    await recorder.start();
    const emit = (event: CheckoutDomainEvent) => {
      for (const listener of listeners) listener(event);
    };
    // SQLite's own limit on the file's size gives the same SQLITE_FULL as a full SD card: the file may not
    // grow, so sales fill the pages it has until one does not fit.
    const db = (till.store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let sold = 0;
    while (faults.length === 0 && sold < 500) emit(saleOf(++sold, 5000 + sold));
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatch(
      /cash-register journal cannot be written \(could not write "(sale|receipt.shown)" .*the disk is full/,
    );
    const waiting = recorder.backlog;
    emit(saleOf(++sold, 5000 + sold));
    expect(recorder.backlog).toBe(waiting + 2);
    expect(faults.at(-1)).toContain(
      `${waiting + 2} event(s) wait in memory and the payment journal holds the sales`,
    );
    db.pragma('max_page_count = 1073741823');
    emit(saleOf(++sold, 5000 + sold));
    expect(faults.at(-1)).toBeNull();
    expect(recorder.backlog).toBe(0);
    const rows = [...till.store.all()];
    expect(rows.slice(2).map((r) => r.kind)).toEqual(
      Array.from({ length: sold }, () => ['sale', 'receipt.shown']).flat(),
    );
    expect(
      rows.filter((r) => r.kind === 'sale').map((r) => Number(JSON.parse(r.data).receiptNumber)),
    ).toEqual(Array.from({ length: sold }, (_, i) => i + 1));
    expect(verifyJournal(rows, { publicKeys: new Map() }).breaks).toEqual([]);
  });
});
