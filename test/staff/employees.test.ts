import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Employees, LOCK_MS, STAFF_FILE, StaffError } from '../../device/staff/employees.js';

async function staffFile() {
  return join(await mkdtemp(join(tmpdir(), 'vk-employees-')), STAFF_FILE);
}

const T0 = Date.parse('2026-11-23T12:00:00Z');

describe('employees', () => {
  it('keeps an argon2id hash of the PIN, never the PIN', async () => {
    const path = await staffFile();
    const employees = Employees.open(path);
    await employees.add({ id: 'E7', name: 'Kari Nordmann', pin: '471100' }, T0);
    employees.close();
    const bytes = await readFile(path);
    expect(bytes.includes('$argon2id$')).toBe(true);
    expect(bytes.includes('471100')).toBe(false);
  });

  it('refuses a PIN that is not 4–8 digits, a bad id, and the same id twice', async () => {
    const employees = Employees.open(await staffFile());
    await expect(employees.add({ id: 'E7', name: 'Kari', pin: '123' }, T0)).rejects.toThrow(
      'the PIN must be 4–8 digits',
    );
    await expect(employees.add({ id: 'E7', name: 'Kari', pin: '123456789' }, T0)).rejects.toThrow(StaffError);
    await expect(employees.add({ id: 'E 7', name: 'Kari', pin: '1234' }, T0)).rejects.toThrow(
      'cannot be an employee id',
    );
    await employees.add({ id: 'E7', name: 'Kari', pin: '1234' }, T0);
    await expect(employees.add({ id: 'E7', name: 'Ola', pin: '1234' }, T0)).rejects.toThrow('already exists');
    expect(employees.list(T0).map((e) => e.id)).toEqual(['E7']);
    employees.remove('E7');
    expect(employees.find('E7', T0)).toBeNull();
    expect(() => employees.remove('E7')).toThrow('there is no employee E7');
    employees.close();
  });

  it('locks the card after five wrong PINs in a row, across a restart, for five minutes', async () => {
    const path = await staffFile();
    let now = T0;
    const clock = () => now;
    let employees = Employees.open(path);
    await employees.add({ id: 'E7', name: 'Kari', pin: '4711' }, now);
    const left: number[] = [];
    for (let i = 0; i < 4; i++) {
      const check = await employees.checkPin('E7', '0000', clock);
      if (check.ok || check.reason !== 'wrong') throw new Error(`unexpected ${JSON.stringify(check)}`);
      left.push(check.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    employees.close();
    employees = Employees.open(path); // a restart keeps the count
    expect(await employees.checkPin('E7', '0000', clock)).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 0,
      until: T0 + LOCK_MS,
    });
    employees.close();
    employees = Employees.open(path); // and the lock
    expect(employees.find('E7', now)?.lockedUntil).toBe(T0 + LOCK_MS);
    // Locked: even the right PIN is not checked.
    expect(await employees.checkPin('E7', '4711', clock)).toEqual({
      ok: false,
      reason: 'locked',
      until: T0 + LOCK_MS,
    });
    now = T0 + LOCK_MS - 1;
    expect((await employees.checkPin('E7', '4711', clock)).ok).toBe(false);
    now = T0 + LOCK_MS;
    expect(employees.find('E7', now)?.lockedUntil).toBeNull();
    const right = await employees.checkPin('E7', '4711', clock);
    expect(right).toMatchObject({ ok: true, employee: { id: 'E7', failedAttempts: 0 } });
    employees.close();
  });

  it('clears the count of wrong PINs with a right one', async () => {
    const employees = Employees.open(await staffFile());
    await employees.add({ id: 'E7', name: 'Kari', pin: '4711' }, T0);
    for (let i = 0; i < 4; i++) await employees.checkPin('E7', '0000', () => T0);
    expect((await employees.checkPin('E7', '4711', () => T0)).ok).toBe(true);
    expect(await employees.checkPin('E7', '0000', () => T0)).toMatchObject({ attemptsLeft: 4 });
    expect(await employees.checkPin('nobody', '4711', () => T0)).toEqual({ ok: false, reason: 'unknown' });
    employees.close();
  });
});
