import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FILE_CHUNK_BYTES,
  type FileChunk,
  FileTransferError,
  fileChunks,
  joinChunks,
} from '../../contracts/file-transfer.js';
import { demoSigningKey } from '../../demo/demo-cash-register.js';
import { CashRegister } from '../../device/cash-register/cash-register.js';
import { localDateTime, startOfLocalDate } from '../../device/cash-register/formats.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../../device/cash-register/journal-store.js';
import { signingKeyOf } from '../../device/cash-register/signing.js';
import { RECEIPT_COUNTER_FILE } from '../../device/checkout/domain/receipt-number.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { hqInProcess as hq } from '../support/hq-in-process.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { classify } from '../telemetry/asyncapi-document.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';
import { saleOf, xmllint } from './till.js';

// HQ asks a cash-register kiosk for the SAF-T file of a day with the signed `saft-export` command, over a
// real Mosquitto, with `vipps-kiosk hq command … --out DIR` as HQ runs it: the file comes gzipped in
// chunks on files/{transactionId}, each message inside the broker limit the fleet keeps, is put back
// together, checked against the answer's SHA-256, written under Skatteetaten's file name, and is valid
// against the official XSD. The kiosk journals the export (13020).

const SALES = 600;
const DAY_MS = 86_400_000;

describeWithMosquitto('SAF-T export to HQ', () => {
  let broker: Mosquitto;
  let kiosk: KioskUnderTest;
  let watcher: Subscriber;
  const key = TestCommandKey.generate();
  // Two days ago on the Norwegian calendar, from 08:00, a sale every 30 s: all that day, before the start.
  const day = localDateTime(Date.now() - 2 * DAY_MS).date;
  const saleDay = startOfLocalDate(day) + 8 * 3_600_000;

  beforeAll(async () => {
    broker = await Mosquitto.start();
    // A busy day already in the kiosk's journal, enough that the gzipped file takes more than one chunk.
    const stateDir = await mkdtemp(join(tmpdir(), 'vk-saft-hq-'));
    const { signingKey } = await demoSigningKey(stateDir);
    const store = CashRegisterStore.open(join(stateDir, CASH_REGISTER_FILE));
    let at = saleDay;
    const till = new CashRegister(store, signingKeyOf(signingKey, 1), () => at);
    for (let n = 1; n <= SALES; n++) {
      at += 30_000;
      till.sale({ ...saleOf(n, 2490 + (n % 7) * 100), paidAt: at });
    }
    store.close();
    await writeFile(join(stateDir, RECEIPT_COUNTER_FILE), `${SALES}\n`);
    watcher = await Subscriber.connect(broker, ['vk/v1/+/+/files/#', 'vk/v1/+/+/status']);
    kiosk = await new KioskUnderTest().start({
      stateDir,
      telemetry: { brokerUrl: broker.url, username: broker.username },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: key.keysDir,
      cashRegister: {},
    });
    await waitFor('online', () =>
      watcher.on('vk/v1/demo/it-kiosk-1/status').some((m) => m.text.includes('"online"')),
    );
    process.env.VK_HQ_PASSWORD = broker.password;
  }, 60_000);
  afterAll(async () => {
    delete process.env.VK_HQ_PASSWORD;
    await kiosk?.stop();
    await watcher?.close();
    await broker?.dispose();
  });

  const send = (args: string[]) =>
    hq(['command', '--broker', broker.url, '--username', broker.username, '--key', key.keyFile, ...args]);

  it('sends the day in chunks that HQ puts together, checks and writes; the file is valid against the XSD', async () => {
    const out = await mkdtemp(join(tmpdir(), 'vk-saft-hq-out-'));
    const sent = await send(['demo/it-kiosk-1', 'saft-export', '--from', day, '--to', day, '--out', out]);
    expect(sent.error).toBeUndefined();
    const [file] = await readdir(out);
    expect(file).toMatch(/^SAF-T Cash Register_999999999_\d{14}\.xml$/);
    const path = join(out, file!);
    expect(sent.output.trim().endsWith(path)).toBe(true);
    const answer = JSON.parse(sent.output.slice(0, sent.output.lastIndexOf('}') + 1)) as {
      ok: boolean;
      result: { file: string; bytes: number; chunks: number; sha256: string };
      transactionId: string;
    };
    expect(answer).toMatchObject({ ok: true, result: { file } });
    expect(answer.result.chunks).toBeGreaterThan(1);

    const xml = await readFile(path, 'utf8');
    expect(Buffer.byteLength(xml)).toBe(answer.result.bytes);
    expect(xmllint(path)).toEqual({ code: 0, output: '' });
    expect(xml.match(/<cashtransaction>/g)).toHaveLength(SALES);

    // On the wire: one message per chunk, in order, each within the broker limit, as the document says.
    const topic = `vk/v1/demo/it-kiosk-1/files/${answer.transactionId}`;
    const messages = watcher.on(topic);
    expect(messages.map((m) => (JSON.parse(m.text) as FileChunk).index)).toEqual(
      Array.from({ length: answer.result.chunks }, (_, i) => i),
    );
    for (const message of messages) {
      expect(message).toMatchObject({ qos: 1, retain: false });
      expect(Buffer.byteLength(message.text)).toBeLessThan(128 * 1024);
      expect(classify(topic, JSON.parse(message.text)).message.name).toBe('file-chunk');
    }

    // The kiosk journaled the export, with the file and the period.
    const journal = CashRegisterStore.openExisting(join(kiosk.stateDir, CASH_REGISTER_FILE));
    try {
      const exported = journal.ofKind('journal.export').map((row) => [row.code, JSON.parse(row.data)]);
      expect(exported).toEqual([
        ['13020', { from: day, to: day, file: `${file} (sent to HQ, ${answer.result.chunks} chunks)` }],
      ]);
    } finally {
      journal.close();
    }
  }, 60_000);

  it('is refused with the reason for a period that is not one, and writes nothing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'vk-saft-hq-out-'));
    const backwards = await send([
      'demo/it-kiosk-1',
      'saft-export',
      '--from',
      day,
      '--to',
      '2020-01-01',
      '--out',
      out,
    ]);
    expect(backwards.error?.message).toContain(`refused saft-export: to 2020-01-01 is before from ${day}`);
    const noDate = await send([
      'demo/it-kiosk-1',
      'saft-export',
      '--from',
      'yesterday',
      '--to',
      day,
      '--out',
      out,
    ]);
    expect(noDate.error?.message).toContain('from "yesterday" is not a date');
    expect(await readdir(out)).toEqual([]);
  }, 30_000);
});

it('puts chunks together in any order, and refuses a missing chunk or a changed byte', () => {
  const gzipped = Buffer.from(Array.from({ length: 2 * FILE_CHUNK_BYTES + 5 }, (_, i) => (i * 7919) % 251));
  const { manifest, chunks } = fileChunks('hq-abc', 'f.xml', 1, gzipped);
  expect(manifest.chunks).toBe(3);
  const byIndex = new Map([...chunks].reverse().map((c) => [c.index, c]));
  expect(joinChunks(manifest, byIndex).equals(gzipped)).toBe(true);

  const missing = new Map(byIndex);
  missing.delete(1);
  expect(() => joinChunks(manifest, missing)).toThrow(FileTransferError);
  expect(() => joinChunks(manifest, missing)).toThrow('1 of 3 chunks did not arrive (first missing: 1)');

  const changed = Buffer.from(chunks[2]!.data, 'base64');
  changed[0] = changed[0]! ^ 1;
  const altered = new Map(byIndex).set(2, { ...chunks[2]!, data: changed.toString('base64') });
  expect(() => joinChunks(manifest, altered)).toThrow('are not the file the kiosk sent');
});
