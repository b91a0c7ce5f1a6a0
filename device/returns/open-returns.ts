import type { Logger } from '../../common/log/logger.js';
import type { CashRegister } from '../cash-register/cash-register.js';
import type { CashRegisterStore } from '../cash-register/journal-store.js';
import type { ReturnRow } from '../checkout/domain/return-row.js';
import type { Seller } from '../checkout/domain/sales-receipt.js';
import type { SqliteJournal } from '../journal/sqlite-journal.js';
import { REFUND_RETRY_MS, RefundRecovery } from './refund-recovery.js';
import { journalRefunded, type Refunds, VippsReturnDesk } from './return-desk.js';

/**
 * Returns as the daemon wires them at a kiosk that is a cash register: the desk staff mode uses, and the
 * recovery component (start it after the journals) that finishes what a crash or a lost answer left.
 */
export function openReturns(parts: {
  till: { store: CashRegisterStore; register: CashRegister };
  journal: SqliteJournal;
  vipps: Refunds;
  seller: Seller;
  kioskId: string;
  now: () => number;
  logger: Logger;
  onReturned?: (row: ReturnRow) => void;
}): { desk: VippsReturnDesk; recovery: RefundRecovery } {
  const { till, journal, ...rest } = parts;
  const journaling = { ...rest, refunds: journal.refunds, register: till.register };
  const recovery = new RefundRecovery(
    {
      ...journaling,
      finish: (refund, answer) => {
        journalRefunded(journaling, refund, answer);
      },
    },
    REFUND_RETRY_MS,
  );
  const desk = new VippsReturnDesk({
    ...rest,
    ...till,
    refunds: journal.refunds,
    onPending: () => recovery.poke(),
  });
  return { desk, recovery };
}
