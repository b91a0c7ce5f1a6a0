import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  OPEN_PAYMENT_FILE,
  type OpenPayment,
  OpenPaymentFile,
  OpenPaymentFileError,
} from '../../pos/sale/open-payment.js';
import { MILK } from './register-fixtures.js';

function payment(id: string): OpenPayment {
  return {
    request: {
      posTransactionId: id,
      amount: { value: 2490, currency: 'NOK' },
      lines: [{ id: MILK.gtin, name: MILK.name, quantity: 1, unitPrice: 2490, vatRate: 1500 }],
      customer: { phoneNumber: '4791234567' },
    },
    items: [{ product: MILK, quantity: 1 }],
    customer: { kind: 'phone', phoneNumber: '4791234567' },
    club: { state: 'member', phoneNumber: '+4791234567' },
  };
}

it('keeps the open payment whole in its file, and a clear of another id leaves it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-pos-open-'));
  const file = new OpenPaymentFile(dir);
  expect(await file.read()).toBeUndefined();
  await file.write(payment('01A'));
  expect(await new OpenPaymentFile(dir).read()).toEqual(payment('01A'));
  // The last sale's clear, late: the next sale's payment stays.
  await Promise.all([file.write(payment('01B')), file.clear('01A')]);
  expect((await file.read())?.request.posTransactionId).toBe('01B');
  await file.clear('01B');
  expect(await file.read()).toBeUndefined();
  // No temporary file left behind.
  expect(await readdir(dir)).toEqual([]);
});

it('writes and clears in the order asked: a clear asked before the next write never removes it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-pos-open-'));
  const file = new OpenPaymentFile(dir);
  await file.write(payment('01A'));
  const clear = file.clear('01A');
  const write = file.write(payment('01B'));
  await Promise.all([clear, write]);
  expect(JSON.parse(await readFile(join(dir, OPEN_PAYMENT_FILE), 'utf8')).request.posTransactionId).toBe(
    '01B',
  );
});

it('refuses to guess from a file it cannot read: the till must look at the terminal first', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-pos-open-'));
  const file = new OpenPaymentFile(dir);
  await writeFile(join(dir, OPEN_PAYMENT_FILE), '{"request":');
  await expect(file.read()).rejects.toThrow(OpenPaymentFileError);
  await writeFile(join(dir, OPEN_PAYMENT_FILE), JSON.stringify({ ...payment('01A'), items: 'milk' }));
  await expect(file.read()).rejects.toThrow(/cannot be read .*items.*look it up there before selling again/s);
});
