import { createHmac, timingSafeEqual } from 'node:crypto';

// The staff card: `VKSTAFF1.<employee id>.<check>`, printed as a QR or barcode label. The check is an HMAC
// of the rest under the kiosk's `staffCardKey` (secrets.json), so a photocopied label cannot be edited into
// another employee's card. No product barcode (digits only) and no Vipps QR (an https URL) has this shape,
// and classifyScan never takes it for either. The check is upper-case hex: it survives any keyboard
// layout a wedge scanner types through.

const PREFIX = 'VKSTAFF1';
const CHECK_LENGTH = 20;
/** An employee id: what SAF-T's empID takes, in characters every scanner types alike. */
export const EMPLOYEE_ID = /^[A-Za-z0-9-]{1,32}$/;
const CARD = new RegExp(`^${PREFIX}\\.([A-Za-z0-9-]{1,32})\\.([0-9A-Fa-f]{${CHECK_LENGTH}})$`);

/** Anything that starts like a staff card is one (or a forged one): never a product or a customer. */
export function looksLikeStaffCard(text: string): boolean {
  return text.trim().startsWith(`${PREFIX}.`);
}

function check(employeeId: string, key: string): string {
  return createHmac('sha256', key)
    .update(`${PREFIX}.${employeeId}`)
    .digest('hex')
    .slice(0, CHECK_LENGTH)
    .toUpperCase();
}

/** The code printed on an employee's card. */
export function staffCardCode(employeeId: string, key: string): string {
  if (!EMPLOYEE_ID.test(employeeId)) throw new RangeError(`"${employeeId}" is not an employee id`);
  return `${PREFIX}.${employeeId}.${check(employeeId, key)}`;
}

export type StaffCardReading = { ok: true; employeeId: string } | { ok: false; reason: 'forged' };

/** Reads a scanned staff card: the employee it names, or `forged` when the check does not match. */
export function readStaffCard(text: string, key: string): StaffCardReading {
  const match = CARD.exec(text.trim());
  if (!match) return { ok: false, reason: 'forged' };
  const [, employeeId = '', given = ''] = match;
  const expected = Buffer.from(check(employeeId, key));
  const actual = Buffer.from(given.toUpperCase());
  return timingSafeEqual(expected, actual) ? { ok: true, employeeId } : { ok: false, reason: 'forged' };
}
