import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FileReceiptNumbers,
  formatReceiptNumber,
  ReceiptCounterCorruptError,
  ReceiptCounterExhaustedError,
  ReceiptCounterUnavailableError,
} from '../../../device/checkout/domain/receipt-number.js';

let stateDirectory: string;
const counterFile = () => join(stateDirectory, 'receipt-counter');

beforeEach(async () => {
  stateDirectory = await mkdtemp(join(tmpdir(), 'vk-receipt-'));
});

afterEach(async () => {
  await rm(stateDirectory, { recursive: true, force: true });
});

describe('formatReceiptNumber', () => {
  it('pads to ten digits', () => {
    expect(formatReceiptNumber(42)).toBe('0000000042');
    expect(formatReceiptNumber(9_999_999_999)).toBe('9999999999');
  });
});

describe('FileReceiptNumbers', () => {
  it('starts at 0000000001 on a kiosk that has no counter yet', async () => {
    const numbers = new FileReceiptNumbers(stateDirectory);
    expect(await numbers.next()).toBe('0000000001');
    expect(await numbers.next()).toBe('0000000002');
    expect(await readFile(counterFile(), 'utf8')).toBe('2\n');
  });

  it('carries on across restarts (a new instance reads what the last one reserved)', async () => {
    expect(await new FileReceiptNumbers(stateDirectory).next()).toBe('0000000001');
    expect(await new FileReceiptNumbers(stateDirectory).next()).toBe('0000000002');
    const third = new FileReceiptNumbers(stateDirectory);
    expect([await third.next(), await third.next()]).toEqual(['0000000003', '0000000004']);
  });

  it('continues from a counter written by hand', async () => {
    await writeFile(counterFile(), '41');
    expect(await new FileReceiptNumbers(stateDirectory).next()).toBe('0000000042');
  });

  it('never hands out the same number twice to concurrent callers', async () => {
    const numbers = new FileReceiptNumbers(stateDirectory);
    const issued = await Promise.all(Array.from({ length: 50 }, () => numbers.next()));
    expect(new Set(issued).size).toBe(50);
    expect([...issued].sort()).toEqual(Array.from({ length: 50 }, (_, i) => formatReceiptNumber(i + 1)));
    expect(await readFile(counterFile(), 'utf8')).toBe('50\n');
  });

  it('leaves no temporary file behind', async () => {
    await new FileReceiptNumbers(stateDirectory).next();
    expect(await readdir(stateDirectory)).toEqual(['receipt-counter']);
  });

  it.each([
    ['garbage', 'not a number'],
    ['', 'empty'],
    ['-5\n', 'negative'],
    ['12 13\n', 'two numbers'],
    ['00000000042\n', 'eleven digits'],
    ['\u0000\u0000\u0000\u0000', 'zeroed blocks after a crash'],
  ])('refuses a corrupt counter (%j, %s) and leaves it for a person to fix', async (content) => {
    await writeFile(counterFile(), content);
    const numbers = new FileReceiptNumbers(stateDirectory);
    const failure = numbers.next();
    await expect(failure).rejects.toBeInstanceOf(ReceiptCounterCorruptError);
    await expect(failure).rejects.toThrow(/is corrupt .* Do not reset it to 0/);
    expect(await readFile(counterFile(), 'utf8')).toBe(content);
  });

  it('recovers once the counter is repaired, on the same instance', async () => {
    await writeFile(counterFile(), 'garbage');
    const numbers = new FileReceiptNumbers(stateDirectory);
    await expect(numbers.next()).rejects.toBeInstanceOf(ReceiptCounterCorruptError);
    await writeFile(counterFile(), '7\n');
    expect(await numbers.next()).toBe('0000000008');
  });

  it('stops at the largest ten-digit number instead of wrapping round', async () => {
    await writeFile(counterFile(), '9999999998\n');
    const numbers = new FileReceiptNumbers(stateDirectory);
    expect(await numbers.next()).toBe('9999999999');
    await expect(numbers.next()).rejects.toBeInstanceOf(ReceiptCounterExhaustedError);
  });

  it('says so clearly when the state directory is missing', async () => {
    const numbers = new FileReceiptNumbers(join(stateDirectory, 'missing'));
    await expect(numbers.next()).rejects.toBeInstanceOf(ReceiptCounterUnavailableError);
    await expect(numbers.next()).rejects.toThrow(/check that the state directory exists/);
  });
});
