import assert from 'node:assert/strict';
import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import { decodeEscPos, paperLines } from '../../device/printer/escpos-decoder.js';
import {
  type HardwareCondition,
  PrintError,
  type PrinterCondition,
  type PrinterPort,
  type PrinterStatus,
} from '../../device/printer/printer-port.js';
import { encodeSalesReceipt, paperAmount } from '../../device/printer/receipt-layout.js';
import type { ContractCase } from './scanner-contract.js';

// One contract for every printer adapter, written without a test framework so the same cases run under
// vitest on the host (the demo fake) and under the HIL runner inside the QEMU guest (the USB adapter on
// the kernel's printer gadget). What the printer received is decoded back to paper and compared with
// the receipt the kiosk meant.

/** A printer adapter with a way to act as the printer. */
export interface PrinterRig {
  printer: PrinterPort;
  /** Every byte the printer has taken since the rig was made, in order. */
  received(): Uint8Array;
  /** Puts the printer in this condition, reported the way its hardware reports it. */
  setCondition(condition: HardwareCondition): Promise<void>;
  /** The printer leaves the bus (cable out, power off). */
  unplug(): Promise<void>;
  /** The printer is back, in the condition it had. */
  replug(): Promise<void>;
  /** The printer takes the first `bytes` bytes of the next job, then leaves the bus as `unplug` does. */
  cutNextJobAfter(bytes: number): void;
  close(): Promise<void>;
}

export interface PrinterRigFactory {
  name: string;
  create(): Promise<PrinterRig>;
  /** How long a status or the bytes may take to arrive: milliseconds on the host, seconds under emulation. */
  patienceMs: number;
  /** The conditions beside `ready` this printer can tell: one without a back channel cannot tell near-end. */
  conditions: ReadonlyArray<Exclude<HardwareCondition, 'ready'>>;
  /** The job timeout given to `print`. */
  jobTimeoutMs: number;
}

/** A sale with Norwegian letters, a discount, two VAT rates, a quantity and a long line name. */
export const CONTRACT_RECEIPT: SalesReceipt = {
  heading: 'Salgskvittering',
  seller: {
    name: 'Kiosken på Ørje AS',
    registration: 'Org.nr 999 999 999 MVA',
    address: ['Blåbærstien 7', '1870 Ørje'],
  },
  issued: { date: '2026-12-07', time: '15:05:09' },
  receiptNumber: '0000000042',
  kioskId: 'kiosk-07',
  lines: [
    { name: 'Brød grovt 750 g', quantity: 2, unitPrice: 4490, discount: 600, amount: 8380 },
    {
      name: 'Batterier AA 4 pk, alkaliske, lang levetid',
      quantity: 1,
      unitPrice: 7990,
      discount: 0,
      amount: 7990,
    },
  ],
  vat: [
    { rate: 2500, base: 6392, amount: 1598 },
    { rate: 1500, base: 7287, amount: 1093 },
  ],
  total: 16370,
  currency: 'NOK',
  payment: {
    type: 'Vipps MobilePay',
    amount: 16370,
    reference: 'kiosk-07-0000000042-1',
    pspReference: 'psp-8841',
  },
};

/**
 * What § 2-8-4 wants on a Salgskvittering that the paper lacks, as readable complaints; empty when the
 * paper has it all. Checks the decoded paper, so it holds for any layout and paper width.
 */
export function missingOnPaper(receipt: SalesReceipt, lines: string[]): string[] {
  const text = lines.join('\n');
  const squashed = text.replace(/\s+/g, ' ');
  const has = (what: string) => squashed.includes(what.replace(/\s+/g, ' '));
  const wanted: Array<[string, string]> = [
    ['heading', receipt.heading],
    ["seller's name", receipt.seller.name],
    ['organisation number and MVA', receipt.seller.registration],
    ['street', receipt.seller.address[0]],
    ['postal code and town', receipt.seller.address[1]],
    ['date', receipt.issued.date],
    ['time', receipt.issued.time],
    ['receipt number', receipt.receiptNumber],
    ['kiosk id', receipt.kioskId],
    ['total', paperAmount(receipt.total)],
    ['payment type', receipt.payment.type],
    ['Vipps reference', receipt.payment.reference],
    ...receipt.lines.flatMap(
      (line): Array<[string, string]> => [
        [`line "${line.name}"`, line.name],
        [`amount of "${line.name}"`, paperAmount(line.amount)],
      ],
    ),
    ...receipt.vat.flatMap(
      (vat): Array<[string, string]> => [
        [`VAT ${vat.rate / 100} %`, paperAmount(vat.amount)],
        [`VAT ${vat.rate / 100} % basis`, paperAmount(vat.base)],
      ],
    ),
  ];
  const missing = wanted.filter(([, value]) => !has(value)).map(([field, value]) => `${field} (${value})`);
  if (!lines.includes(`[CODE128 ${receipt.receiptNumber}]`))
    missing.push('CODE128 barcode of the receipt number');
  if (lines.filter((line) => line !== '').at(-1) !== '--- cut ---') missing.push('the cut at the end');
  return missing;
}

class Watch {
  readonly seen: PrinterStatus[] = [];
  constructor(port: PrinterPort) {
    port.onStatus((status) => this.seen.push(status));
  }
}

async function until(what: string, test: () => boolean, patienceMs: number, state: () => unknown) {
  const end = Date.now() + patienceMs;
  while (!test()) {
    if (Date.now() > end) assert.fail(`${what}: waited ${patienceMs} ms; ${JSON.stringify(state())}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Byte for byte, whatever array type each side is; on a mismatch says where the two part. */
function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string) {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return;
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  assert.fail(`${what}: ${a.length} bytes where ${b.length} were expected, first difference at byte ${at}`);
}

async function refused(promise: Promise<void>, code: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof PrintError, `a PrintError, not ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

export function printerContract(factory: PrinterRigFactory): ContractCase[] {
  const patience = factory.patienceMs;
  const job = encodeSalesReceipt(CONTRACT_RECEIPT, 80);
  const withRig = (body: (rig: PrinterRig, watch: Watch) => Promise<void>) => async () => {
    const rig = await factory.create();
    const watch = new Watch(rig.printer);
    try {
      await rig.printer.start();
      await until(
        'ready',
        () => rig.printer.status().condition === 'ready',
        patience,
        () => watch.seen,
      );
      await body(rig, watch);
    } finally {
      await rig.printer.stop();
      await rig.close();
    }
  };
  const conditionIs = (rig: PrinterRig, watch: Watch, condition: PrinterCondition) =>
    until(
      `condition ${condition}`,
      () => rig.printer.status().condition === condition && watch.seen.at(-1)?.condition === condition,
      patience,
      () => watch.seen,
    );
  const print = (rig: PrinterRig, bytes: Uint8Array) =>
    rig.printer.print(bytes, { timeoutMs: factory.jobTimeoutMs });
  const receivedLength = (rig: PrinterRig, length: number) =>
    until(
      `${length} bytes on the printer`,
      () => rig.received().length >= length,
      patience,
      () => ({
        received: rig.received().length,
      }),
    );

  const cases: ContractCase[] = [
    {
      name: 'names the printer, and prints a receipt whose decoded paper has every legal field and the barcode',
      run: withRig(async (rig) => {
        assert.ok(rig.printer.status().model, 'status() names the printer');
        await print(rig, job);
        await receivedLength(rig, job.length);
        sameBytes(rig.received(), job, 'the printer got the job exactly, once');
        const paper = decodeEscPos(rig.received());
        assert.deepEqual(paper.unknown, [], 'every command is one the decoder knows');
        assert.equal(paper.truncated, false);
        assert.deepEqual(missingOnPaper(CONTRACT_RECEIPT, paperLines(paper)), []);
      }),
    },
    {
      name: 'two jobs sent together print one after the other, never mixed',
      run: withRig(async (rig) => {
        const second = encodeSalesReceipt({ ...CONTRACT_RECEIPT, receiptNumber: '0000000043' }, 58);
        await Promise.all([print(rig, job), print(rig, second)]);
        await receivedLength(rig, job.length + second.length);
        sameBytes(rig.received(), new Uint8Array([...job, ...second]), 'the first job, then the second');
      }),
    },
    ...factory.conditions.map(
      (condition): ContractCase => ({
        name: `reports ${condition} and back to ready${condition === 'paper-near-end' ? ', printing all along' : ', refusing jobs meanwhile'}`,
        run: withRig(async (rig, watch) => {
          await rig.setCondition(condition);
          await conditionIs(rig, watch, condition);
          assert.ok(rig.printer.status().model, 'the printer is still named');
          if (condition === 'paper-near-end') {
            await print(rig, job);
            await receivedLength(rig, job.length);
          } else {
            await refused(print(rig, job), condition);
          }
          await rig.setCondition('ready');
          await conditionIs(rig, watch, 'ready');
          const expected = condition === 'paper-near-end' ? [...job, ...job] : [...job];
          await print(rig, job);
          await receivedLength(rig, expected.length);
          sameBytes(rig.received(), new Uint8Array(expected), 'a refused job never prints later');
        }),
      }),
    ),
    {
      name: 'unplugged: offline with no model, jobs refused; plugged back: ready and printing again',
      run: withRig(async (rig, watch) => {
        await rig.unplug();
        await conditionIs(rig, watch, 'offline');
        assert.equal(rig.printer.status().model, null);
        await refused(print(rig, job), 'printer-offline');
        await rig.replug();
        await conditionIs(rig, watch, 'ready');
        assert.ok(rig.printer.status().model);
        await print(rig, job);
        await receivedLength(rig, job.length);
        sameBytes(rig.received(), job, 'the job refused while unplugged never prints');
      }),
    },
    {
      name: 'a job cut halfway by the printer leaving settles in time; the port never resends it by itself',
      run: withRig(async (rig, watch) => {
        const cutAt = Math.floor(job.length / 2);
        rig.cutNextJobAfter(cutAt);
        // A printer with a big input buffer may have taken the whole job before it left: then the job
        // resolves. Either way it settles (no hang past its timeout) and a failure is a PrintError.
        const outcome = await print(rig, job).then(
          () => null,
          (error: unknown) => error,
        );
        if (outcome !== null)
          assert.ok(outcome instanceof PrintError, `a PrintError, not ${String(outcome)}`);
        await conditionIs(rig, watch, 'offline');
        await receivedLength(rig, cutAt);
        assert.equal(rig.received().length, cutAt, 'the printer took exactly the bytes before the cut');
        assert.equal(decodeEscPos(rig.received()).truncated, true, 'the cut job decodes as cut short');
        await rig.replug();
        await conditionIs(rig, watch, 'ready');
        const again = encodeSalesReceipt({ ...CONTRACT_RECEIPT, copy: true }, 80);
        await print(rig, again);
        await receivedLength(rig, cutAt + again.length);
        sameBytes(rig.received().subarray(cutAt), again, 'after the replug only the new job arrives');
      }),
    },
  ];
  return cases;
}
