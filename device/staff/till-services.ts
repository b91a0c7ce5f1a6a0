import type { CopyDesk } from '../cash-register/copies.js';
import type { ReportDesk } from '../cash-register/report-desk.js';
import type { TrainingMode } from '../cash-register/training.js';
import type { ReturnDesk, StaffServices } from './staff-services.js';

/**
 * The real services behind staff mode's menu on a cash-register kiosk: reports from the report desk (the
 * same that makes the automatic Z and answers HQ), the one copy the law allows, the training switch and
 * returns. Reports are journaled without an employee: the report row says what was counted, and staff
 * mode's own log-in row says who was at the till.
 */
export function tillServices(parts: {
  reports: ReportDesk;
  copies: CopyDesk;
  training: TrainingMode;
  returns: ReturnDesk;
}): StaffServices {
  return {
    report: (kind) => parts.reports.make(kind),
    copyOfLastReceipt: (employeeId) => parts.copies.copyOfLastReceipt(employeeId),
    training: parts.training,
    returns: parts.returns,
  };
}
