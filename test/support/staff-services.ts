import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { ReportDesk } from '../../device/cash-register/report-desk.js';
import type {
  ReturnableSale,
  ReturnOutcome,
  ReturnRequest,
  StaffServices,
} from '../../device/staff/staff-services.js';

// FOR STAFF-MODE TESTS ONLY, until the lead wires the real services: X and Z reports come from the REAL
// ReportDesk (the real cash-register journal); copies, training and returns — built on other branches
// (device/cash-register/copies.ts, training.ts, device/returns/) — are stood in for by the smallest thing
// that answers as StaffServices promises, recording every call with the employee id so the tests can see
// that staff mode says who did it. No refund logic, copy rule or training semantics lives here.

export type StaffCall =
  | { service: 'report'; kind: 'x' | 'z'; employeeId: string }
  | { service: 'copy'; employeeId: string }
  | { service: 'training'; on: boolean; employeeId: string }
  | { service: 'return-find'; receiptNumber: string }
  | { service: 'refund'; request: ReturnRequest };

export const RECEIPT_FOR_TESTS: SalesReceipt = {
  heading: 'Salgskvittering',
  copy: true,
  seller: {
    name: 'Butikken Test AS',
    registration: 'Org.nr 974 760 673 MVA',
    address: ['Storgata 1', '0155 Oslo'],
  },
  issued: { date: '2026-11-23', time: '13:00:00' },
  receiptNumber: '0000000001',
  kioskId: 'kiosk-07',
  lines: [{ name: 'Melk 1 l', quantity: 2, unitPrice: 2490, discount: 0, amount: 4980 }],
  vat: [{ rate: 1500, base: 4330, amount: 650 }],
  total: 4980,
  currency: 'NOK',
  payment: { type: 'Vipps MobilePay', amount: 4980, reference: 'kiosk-07-0000000001-1', pspReference: null },
};

export const SALE_FOR_TESTS: ReturnableSale = {
  receiptNumber: '0000000001',
  paidAt: Date.parse('2026-11-23T12:00:00Z'),
  currency: 'NOK',
  lines: [
    { index: 0, name: 'Melk 1 l', quantity: 2, unitPrice: 2490, returnable: 2 },
    { index: 1, name: 'Brød grovt', quantity: 1, unitPrice: 4290, returnable: 1 },
  ],
  refundable: 9270,
};

export function staffServicesForTests(desk: ReportDesk): StaffServices & { calls: StaffCall[] } {
  const calls: StaffCall[] = [];
  let training = false;
  return {
    calls,
    report(kind, employeeId) {
      calls.push({ service: 'report', kind, employeeId });
      return desk.make(kind);
    },
    copyOfLastReceipt(employeeId) {
      calls.push({ service: 'copy', employeeId });
      return calls.filter((c) => c.service === 'copy').length === 1
        ? { ok: true, receipt: RECEIPT_FOR_TESTS }
        : { ok: false, code: 'copy-already-made', message: 'A copy of receipt 0000000001 was already made' };
    },
    training: {
      isOn: () => training,
      set(on, employeeId) {
        calls.push({ service: 'training', on, employeeId });
        training = on;
      },
    },
    returns: {
      find(receiptNumber) {
        calls.push({ service: 'return-find', receiptNumber });
        return receiptNumber === SALE_FOR_TESTS.receiptNumber
          ? { ok: true, sale: SALE_FOR_TESTS }
          : { ok: false, code: 'unknown-receipt', message: `No sale has receipt number ${receiptNumber}` };
      },
      async refund(request): Promise<ReturnOutcome> {
        calls.push({ service: 'refund', request });
        return {
          ok: true,
          receipt: {
            ...RECEIPT_FOR_TESTS,
            heading: 'Returkvittering',
            copy: undefined,
            returnOf: request.receiptNumber,
          },
        };
      },
    },
  };
}
