import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { CopyDesk } from '../cash-register/copies.js';
import type { ReportDesk } from '../cash-register/report-desk.js';
import type { ReportHeading } from '../cash-register/report-text.js';
import type { JournaledReport } from '../cash-register/reports.js';
import type { TrainingMode } from '../cash-register/training.js';
import type { ReturnDesk, StaffServices } from './staff-services.js';

/**
 * The real services behind staff mode's menu on a cash-register kiosk: reports from the report desk (the
 * same that makes the automatic Z and answers HQ), the one copy the law allows, the training switch and
 * returns. Reports are journaled without an employee: the report row says what was counted, and staff
 * mode's own log-in row says who was at the till. With a printer, each report, copy and Returkvittering
 * is also printed; the screen shows it at once, and a print that fails is the printer's alert.
 */
export function tillServices(parts: {
  reports: ReportDesk;
  copies: CopyDesk;
  training: TrainingMode;
  returns: ReturnDesk;
  printer?: {
    printReceipt(receipt: SalesReceipt): Promise<unknown>;
    printReport(report: JournaledReport, heading: ReportHeading): Promise<unknown>;
  };
  heading: ReportHeading;
}): StaffServices {
  const { printer } = parts;
  const printed = (receipt: SalesReceipt) => void printer?.printReceipt(receipt);
  return {
    report: (kind) => {
      const report = parts.reports.make(kind);
      void printer?.printReport(report, parts.heading);
      return report;
    },
    copyOfLastReceipt: (employeeId) => {
      const copy = parts.copies.copyOfLastReceipt(employeeId);
      if (copy.ok) printed(copy.receipt);
      return copy;
    },
    training: parts.training,
    returns: {
      find: (receiptNumber) => parts.returns.find(receiptNumber),
      refund: async (request) => {
        const outcome = await parts.returns.refund(request);
        if (outcome.ok) printed(outcome.receipt);
        return outcome;
      },
    },
  };
}
