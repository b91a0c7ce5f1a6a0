// What each kind of row in the cash-register journal is in SAF-T Cash Register terms: its predefined code
// from Skatteetaten's code lists (PredefinedBasicID-13 for events, -11 for transaction types) and the
// local id the export declares for it under <basics>. The codes are the standard's; the ids are ours.

export const ROW_KINDS = {
  'application.start': { code: '13001', basicID: 'POSSTART', desc: 'POS application start' },
  'application.stop': { code: '13002', basicID: 'POSEND', desc: 'POS application shut down' },
  sale: { code: '11001', basicID: 'CASHSAL', desc: 'Cash sale (Vipps MobilePay)' },
  'receipt.shown': {
    code: '13030',
    basicID: 'NOPRINT',
    desc: 'Sale concluded without a printed receipt (shown on screen and in the Vipps app)',
  },
  'receipt.printed': { code: '13012', basicID: 'PRINT', desc: 'Sales receipt printed' },
  'price.change': { code: '13021', basicID: 'PRICECHANGE', desc: 'Price change' },
  'journal.export': { code: '13020', basicID: 'EXPORT', desc: 'Export of the journal' },
  'signing.key': { code: '13999', basicID: 'SIGNKEY', desc: 'Signing key version taken into use' },
  'report.x': { code: '13008', basicID: 'XREP', desc: 'X report' },
  'report.z': { code: '13009', basicID: 'ZREP', desc: 'Z report' },
  'receipt.void': { code: '13028', basicID: 'VOID', desc: 'Receipt number voided (payment not completed)' },
  'clock.backwards': { code: '13999', basicID: 'CLOCKBACK', desc: 'Clock went backwards' },
  return: { code: '11006', basicID: 'RETURN', desc: 'Return payment (refund through Vipps MobilePay)' },
  'return.receipt': { code: '13013', basicID: 'RETRECEIPT', desc: 'Return receipt (Returkvittering)' },
  // Copies and training (device/cash-register/copies.ts, training.ts). A training sale is a signed
  // cashtransaction with trainingID true and, like the example file's copy, also an event naming it.
  'receipt.copy': { code: '13014', basicID: 'COPYREC', desc: 'Copy receipt (KOPI)' },
  'training.on': { code: '13023', basicID: 'TRAINON', desc: 'Training mode on' },
  'training.off': { code: '13024', basicID: 'TRAINOFF', desc: 'Training mode off' },
  'training.sale': {
    code: '13017',
    basicID: 'TRAINREC',
    desc: 'Training receipt (not a valid receipt; paid to the Vipps sandbox)',
  },
  'staff.login': { code: '13003', basicID: 'EMPIN', desc: 'Employee log in (staff mode)' },
  'staff.logout': { code: '13004', basicID: 'EMPOUT', desc: 'Employee log out (staff mode)' },
} as const;

export type RowKind = keyof typeof ROW_KINDS;

/** The rows that are signed transactions (SAF-T cashtransaction), chained by one signature sequence. */
export const TRANSACTION_KINDS: ReadonlySet<RowKind> = new Set<RowKind>(['sale', 'return']);

export function isRowKind(kind: string): kind is RowKind {
  return Object.hasOwn(ROW_KINDS, kind);
}

/** Payment by Vipps MobilePay: "Mobile phone apps" in PredefinedBasicID-12. */
export const VIPPS_PAYMENT = { code: '12011', basicID: 'VIPPS', desc: 'Vipps MobilePay' } as const;
/** A sold line (basic type 05, no predefined code). */
export const SALE_LINE = { basicID: 'SAL', desc: 'Sale line' } as const;
/** A line taken back by a return (basic type 05, no predefined code). */
export const RETURN_LINE = { basicID: 'RET', desc: 'Returned line' } as const;
/** A club (member) price, taken off the line as a discount (basic type 08, no predefined code). */
export const MEMBER_DISCOUNT = { basicID: 'MEMBER', desc: 'Customer club member price' } as const;
