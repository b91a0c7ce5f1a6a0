import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

const opened: FileReceiptNumbers[] = [];
/** A counter that is closed after the test, as the daemon closes it on stop. */
function counter(): FileReceiptNumbers {
  const numbers = new FileReceiptNumbers(stateDirectory);
  opened.push(numbers);
  return numbers;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((numbers) => numbers.close()));
  await rm(stateDirectory, { recursive: true, force: true });
});

describe('formatReceiptNumber', () => {
  it('pads to ten digits', () => {
    expect(formatReceiptNumber(42)).toBe('0000000042');
    expect(formatReceiptNumber(9_999_999_999)).toBe('9999999999');
  });
});

describe('FileReceiptNumbers', () => {
  it('starts at 0000000001 on a kiosk that has no counter yet, each number on disk before it is handed out', async () => {
    const numbers = counter();
    expect(await numbers.next()).toBe('0000000001');
    expect(await readFile(counterFile(), 'utf8')).toBe('1\n');
    expect(await numbers.next()).toBe('0000000002');
    expect(await readFile(counterFile(), 'utf8')).toBe('2\n');
  });

  it('reserves the next number ahead when asked, and hands it out without writing again', async () => {
    const numbers = counter();
    expect(await numbers.next()).toBe('0000000001');
    numbers.reserveAhead();
    numbers.reserveAhead(); // one ahead at most
    expect(await readFile(counterFile(), 'utf8')).toBe('2\n');
    await writeFile(counterFile(), 'no longer read\n');
    expect(await numbers.next()).toBe('0000000002');
    expect(await readFile(counterFile(), 'utf8')).toBe('no longer read\n');
  });

  it('carries on across restarts, skipping only the number the last run reserved ahead', async () => {
    const first = counter();
    expect(await first.next()).toBe('0000000001');
    first.reserveAhead();
    await first.close();
    const second = counter();
    expect(await second.next()).toBe('0000000003');
    second.reserveAhead();
    await second.close();
    const third = counter();
    expect([await third.next(), await third.next()]).toEqual(['0000000005', '0000000006']);
  });

  it('hands out a number even when its reservation ahead failed, or says why it cannot', async () => {
    const numbers = counter();
    expect(await numbers.next()).toBe('0000000001');
    await writeFile(counterFile(), 'garbage');
    numbers.reserveAhead();
    await expect(numbers.next()).rejects.toBeInstanceOf(ReceiptCounterCorruptError);
    await writeFile(counterFile(), '1\n');
    expect(await numbers.next()).toBe('0000000002');
  });

  it('continues from a counter written by hand', async () => {
    await writeFile(counterFile(), '41');
    expect(await counter().next()).toBe('0000000042');
  });

  it('never hands out the same number twice to concurrent callers', async () => {
    const numbers = counter();
    const issued = await Promise.all(Array.from({ length: 50 }, () => numbers.next()));
    expect(new Set(issued).size).toBe(50);
    expect([...issued].sort()).toEqual(Array.from({ length: 50 }, (_, i) => formatReceiptNumber(i + 1)));
    expect(await readFile(counterFile(), 'utf8')).toBe('50\n');
  });

  it('leaves no temporary file behind', async () => {
    const numbers = counter();
    await numbers.next();
    await numbers.close();
    expect(await readdir(stateDirectory)).toEqual(['receipt-counter']);
  });

  it('keeps the counter readable by the daemon only (0600), also one an older version left 0644', async () => {
    await writeFile(counterFile(), '41\n');
    await chmod(counterFile(), 0o644);
    const numbers = counter();
    expect(await numbers.next()).toBe('0000000042');
    await numbers.close();
    expect((await stat(counterFile())).mode & 0o777).toBe(0o600);
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
    const numbers = counter();
    const failure = numbers.next();
    await expect(failure).rejects.toBeInstanceOf(ReceiptCounterCorruptError);
    await expect(failure).rejects.toThrow(/is corrupt .* Do not reset it to 0/);
    expect(await readFile(counterFile(), 'utf8')).toBe(content);
  });

  it('recovers once the counter is repaired, on the same instance', async () => {
    await writeFile(counterFile(), 'garbage');
    const numbers = counter();
    await expect(numbers.next()).rejects.toBeInstanceOf(ReceiptCounterCorruptError);
    await writeFile(counterFile(), '7\n');
    expect(await numbers.next()).toBe('0000000008');
  });

  it('stops at the largest ten-digit number instead of wrapping round', async () => {
    await writeFile(counterFile(), '9999999998\n');
    const numbers = counter();
    expect(await numbers.next()).toBe('9999999999');
    await expect(numbers.next()).rejects.toBeInstanceOf(ReceiptCounterExhaustedError);
  });

  it('says so clearly when the state directory is missing', async () => {
    const numbers = new FileReceiptNumbers(join(stateDirectory, 'missing'));
    await expect(numbers.next()).rejects.toBeInstanceOf(ReceiptCounterUnavailableError);
    await expect(numbers.next()).rejects.toThrow(/check that the state directory exists/);
  });
});
