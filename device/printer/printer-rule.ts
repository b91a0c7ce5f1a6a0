import type { OutOfOrder } from '../../contracts/screen-model.js';
import type { AlertSeverity } from '../../contracts/telemetry.js';
import type { PrinterCondition, PrinterPort, PrinterStatus } from './printer-port.js';

// The law's printer rule, and what staff and HQ are told about the printer. In market NO with the kiosk
// as a cash register, a sale may not be concluded without a receipt being offered on paper: with no
// paper, the cover open or no printer, the kiosk goes out of order (once no customer is using it) until
// the printer can print again — unless the store set `cashRegister.allowSaleWithoutPrinter`, in which
// case it sells on with the receipt on screen and in the app, each such sale journaled as not printed.
// Either way the condition is an alert on events/alert and in /healthz (critical when it stops sales).

export interface PrinterRuleParts {
  /** Null: no printer configured (the demo without one, or a market without a cash register). */
  printer: PrinterPort | null;
  /** A printer is required to sell (market NO, cashRegister configured, allowSaleWithoutPrinter false). */
  required: boolean;
  checkout: { printerFault(fault: OutOfOrder | null): void };
  alerts: {
    raise(code: string, severity: AlertSeverity, message: string): boolean;
    clear(code: string): boolean;
  };
  /** Every change of the printer's condition (health sample, screen model). */
  onChange?: (status: PrinterStatus) => void;
}

type Condition = PrinterCondition | 'missing';

const MISSING =
  'No receipt printer can be used (hardware.printer.driver is "none", or USB cannot be read: see the ' +
  'log), and this till must offer a printed receipt: connect one and set hardware.printer.driver to "usb".';

const WHAT: Record<Exclude<Condition, 'ready'>, string> = {
  'paper-near-end': 'The receipt roll is nearly used up: put in a new roll soon.',
  'paper-out': 'The receipt printer is out of paper: put in a new roll.',
  'cover-open': "The receipt printer's cover is open: close it.",
  offline: 'No receipt printer answers: check its USB cable and power, and that it is switched on.',
  missing: MISSING,
};

/** What the printer's condition means where a printer is required to sell: the fault that stops sales. */
export function printerFault(condition: Condition): OutOfOrder | null {
  if (condition === 'ready' || condition === 'paper-near-end') return null;
  return {
    code: `printer-${condition}`,
    message: `${WHAT[condition]} The kiosk sells again as soon as the printer can print.`,
  };
}

/** The alert for staff and HQ: critical when it stops sales, a warning when the kiosk sells on. */
function alertOf(condition: Condition, required: boolean) {
  if (condition === 'ready') return null;
  const code = `printer-${condition}`;
  const fault = printerFault(condition);
  if (fault === null) return { code, severity: 'warning' as const, message: WHAT[condition] };
  if (required) return { code, severity: 'critical' as const, message: fault.message };
  return {
    code,
    severity: 'warning' as const,
    message: `${WHAT[condition]} The kiosk sells on: receipts are on screen and in the Vipps app, journaled as not printed.`,
  };
}

export class PrinterRule {
  readonly name = 'printer rule';
  private raised: string | null = null;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly parts: PrinterRuleParts) {}

  start(): void {
    const { printer } = this.parts;
    if (!printer) {
      if (this.parts.required) this.apply('missing');
      return;
    }
    this.apply(printer.status().condition);
    this.unsubscribe = printer.onStatus((status) => {
      this.apply(status.condition);
      this.parts.onChange?.(status);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private apply(condition: Condition): void {
    const { required, checkout, alerts } = this.parts;
    if (required) checkout.printerFault(printerFault(condition));
    const alert = alertOf(condition, required);
    if (this.raised !== null && this.raised !== alert?.code) alerts.clear(this.raised);
    if (alert) alerts.raise(alert.code, alert.severity, alert.message);
    this.raised = alert?.code ?? null;
  }
}
