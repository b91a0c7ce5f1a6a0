import type { Logger } from '../common/log/logger.js';
import { packageVersion } from '../common/package-root.js';
import type { EventClass, EventPayloads, EventType } from '../contracts/telemetry.js';
import type { Currency } from '../contracts/vipps-types.js';
import type { CashRegister } from './cash-register/cash-register.js';
import { CopyDesk } from './cash-register/copies.js';
import type { CashRegisterStore } from './cash-register/journal-store.js';
import { CashRegisterRecorder } from './cash-register/recorder.js';
import { ReportDesk } from './cash-register/report-desk.js';
import { reportForHq } from './cash-register/reports.js';
import type { TrainingMode, TrainingRoute } from './cash-register/training.js';
import type { ReloadableCatalog } from './catalog/reloadable-catalog.js';
import type { CheckoutService } from './checkout/checkout-service.js';
import type { FileReceiptNumbers } from './checkout/domain/receipt-number.js';
import { salesReceipt } from './checkout/domain/sales-receipt.js';
import type { Settings } from './config/schema.js';
import type { RecoveryService } from './journal/recovery-service.js';
import type { SqliteJournal } from './journal/sqlite-journal.js';
import type { PrinterPort } from './printer/printer-port.js';
import { ReceiptPrinting } from './printer/receipt-printing.js';
import { openReturns } from './returns/open-returns.js';
import type { Refunds } from './returns/return-desk.js';
import { openStaffMode } from './staff/open-staff-mode.js';
import { type StaffClock, WALL_CLOCK } from './staff/staff-mode.js';
import { tillServices } from './staff/till-services.js';
import type { Alerts } from './telemetry/alerts.js';

// The Norwegian cash register around the checkout, put together one way for the daemon (device/main.ts):
// the journal fed by the checkout's domain events, the receipt printer, X/Z reports (and the forgotten Z
// at closing time), copies, returns and staff mode. Training mode's payment route is made before the
// checkout (main.ts), since the checkout pays through it; everything here needs the checkout first.

/** The cash-register journal's own alert: rows waiting in memory because the disk refused them. */
export const CASH_REGISTER_FAULT = 'cash-register-journal';

export interface TillParts {
  settings: Settings & { cashRegister: NonNullable<Settings['cashRegister']> };
  till: { store: CashRegisterStore; register: CashRegister };
  checkout: CheckoutService;
  catalog: ReloadableCatalog;
  printer: PrinterPort | null;
  receiptNumbers: FileReceiptNumbers;
  journal: SqliteJournal;
  recovery: RecoveryService | undefined;
  training: TrainingMode;
  trainingRoute: TrainingRoute | undefined;
  refunds: Refunds;
  alerts: Alerts;
  /** HQ's telemetry, when the kiosk has a broker: reports and returns are money events. */
  publish: <T extends EventType>(type: T, payload: EventPayloads[T], eventClass: EventClass) => void;
  clock?: StaffClock;
  logger: Logger;
}

export interface ComposedTill {
  recorder: CashRegisterRecorder;
  /** Absent without a printer. */
  receipts: ReceiptPrinting | undefined;
  copies: CopyDesk;
  reportDesk: ReportDesk;
  returns: ReturnType<typeof openReturns>;
  staffMode: ReturnType<typeof openStaffMode>;
}

export function composeTill(parts: TillParts): ComposedTill {
  const { settings, till, checkout, alerts, logger } = parts;
  const seller = settings.cashRegister;
  const kioskId = settings.device.id;
  const receipts = parts.printer
    ? new ReceiptPrinting({
        printer: parts.printer,
        paperWidth: settings.hardware.printer.paperWidth,
        jobTimeoutMs: settings.hardware.printer.jobTimeoutMs,
        retryDelayMs: 1_000,
        // A training sale's paper says it is no valid receipt, as its journal row does.
        receiptOf: (sale) => ({
          ...salesReceipt(sale, seller, kioskId),
          ...(parts.trainingRoute?.isTraining(sale.reference) ? { training: true as const } : {}),
        }),
        checkout,
        onOutcome: (outcome) => recorder.receiptOutcome(outcome.receiptNumber, outcome.printed),
        alerts,
        logger: logger.child('printer'),
      })
    : undefined;
  const recorder = new CashRegisterRecorder({
    ...till,
    checkout,
    catalog: parts.catalog,
    softwareVersion: packageVersion(),
    receiptCounter: parts.receiptNumbers,
    payments: parts.journal,
    recovery: parts.recovery,
    training: parts.trainingRoute,
    printing: receipts !== undefined,
    logger: logger.child('cash-register'),
    onFault: (message) =>
      message === null
        ? alerts.clear(CASH_REGISTER_FAULT)
        : alerts.raise(CASH_REGISTER_FAULT, 'critical', message),
  });
  const copies = new CopyDesk({ ...till, seller, kioskId });
  const reportDesk = new ReportDesk({
    ...till,
    closingTime: seller.closingTime,
    now: Date.now,
    onReport: (report) => parts.publish('report', reportForHq(report), 'money'),
    logger: logger.child('cash-register'),
  });
  const returns = openReturns({
    till,
    journal: parts.journal,
    vipps: parts.refunds,
    seller,
    kioskId,
    now: Date.now,
    logger: logger.child('returns'),
    onReturned: (row) =>
      parts.publish(
        'return-completed',
        {
          reference: row.reference,
          returnNumber: row.returnNumber,
          returnOf: row.returnOf,
          amount: -row.amountIn,
          currency: row.currency as Currency,
        },
        'money',
      ),
  });
  const staffMode = openStaffMode(settings, {
    register: till.register,
    services: tillServices({
      reports: reportDesk,
      copies,
      training: parts.training,
      returns: returns.desk,
      printer: receipts,
      heading: { ...seller, registerId: kioskId },
    }),
    checkout,
    clock: parts.clock ?? WALL_CLOCK,
    logger: logger.child('staff'),
  });
  return { recorder, receipts, copies, reportDesk, returns, staffMode };
}
