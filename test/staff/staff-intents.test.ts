import { describe, expect, it } from 'vitest';
import { intentSchema } from '../../contracts/intent-schema.js';

const accepted = (action: unknown) => intentSchema.safeParse({ type: 'staff', action }).success;

describe('staff intents from the screen', () => {
  it('take a PIN of 4–8 digits only', () => {
    expect(accepted({ do: 'pin', pin: '4711' })).toBe(true);
    expect(accepted({ do: 'pin', pin: '47110000' })).toBe(true);
    expect(accepted({ do: 'pin', pin: '471' })).toBe(false);
    expect(accepted({ do: 'pin', pin: '471100001' })).toBe(false);
    expect(accepted({ do: 'pin', pin: '47a1' })).toBe(false);
  });

  it('take return lines as whole positive quantities, and nothing unknown', () => {
    expect(accepted({ do: 'return-confirm', lines: [{ index: 0, quantity: 1 }] })).toBe(true);
    expect(accepted({ do: 'return-confirm', lines: [] })).toBe(false);
    expect(accepted({ do: 'return-confirm', lines: [{ index: 0, quantity: 0 }] })).toBe(false);
    expect(accepted({ do: 'return-confirm', lines: [{ index: 0, quantity: 1.5 }] })).toBe(false);
    expect(accepted({ do: 'return-find', receiptNumber: '0000000001' })).toBe(true);
    expect(accepted({ do: 'return-find', receiptNumber: '<script>' })).toBe(false);
    expect(accepted({ do: 'report', kind: 'y' })).toBe(false);
    expect(accepted({ do: 'log-out', employeeId: 'E7' })).toBe(false);
    expect(accepted({ do: 'open-drawer' })).toBe(false);
  });
});
