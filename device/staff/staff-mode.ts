import type { Logger } from '../../common/log/logger.js';
import type { StaffAction, StaffCardRefusal, StaffModel, StaffPage } from '../../contracts/screen-model.js';
import type { StaffLogOutReason } from '../cash-register/cash-register.js';
import { type ReportHeading, reportText } from '../cash-register/report-text.js';
import { type Employee, type Employees, PIN_ATTEMPTS } from './employees.js';
import { looksLikeStaffCard, readStaffCard } from './staff-card.js';
import type { StaffServices } from './staff-services.js';

/** How staff mode reaches the checkout (checkoutDoor in staff-door.ts binds it to the CheckoutService). */
export interface StaffDoor {
  /** Takes the screen for staff mode; false where a customer is paying. */
  open(): boolean;
  /** Gives the screen back to the customer screens. */
  close(): void;
  /** Tells whoever scanned the card why nothing opened. */
  refuse(reason: StaffCardRefusal): void;
  outOfOrder(): boolean;
  setOutOfOrder(on: boolean): void;
  /** Staff mode's page changed: the screen must be sent again. */
  changed(): void;
}

/** Timers and time; the checkout's SimulatedClock in tests, the wall clock in the daemon. */
export interface StaffClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export const WALL_CLOCK: StaffClock = {
  now: Date.now,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/** Quiet time after which staff mode logs out on its own. */
export const STAFF_TIMEOUT_MS = 2 * 60_000;

export interface StaffModeParts {
  employees: Employees;
  /** `staffCardKey` from secrets.json: checks the cards. Absent (not provisioned), every card is refused. */
  cardKey: string | undefined;
  services: StaffServices;
  /** The cash-register journal: log in and log out, with the employee id. */
  journal: {
    staffLoggedIn(employee: { id: string; name: string }): void;
    staffLoggedOut(employeeId: string, reason: StaffLogOutReason): void;
  };
  /** What an X or Z report's heading says (the seller, the kiosk). */
  heading: ReportHeading;
  door: StaffDoor;
  clock: StaffClock;
  logger: Logger;
  timeoutMs?: number;
}

interface Session {
  employee: { id: string; name: string };
  loggedIn: boolean;
  page: StaffPage;
  notice: StaffModel['notice'];
  /** A PIN being checked or a refund under way: nothing else is taken meanwhile. */
  busy: boolean;
  endsAt: number;
}

export type StaffOutcome = { accepted: true } | { accepted: false; reason: string };

/**
 * Staff mode: a staff card scanned on a screen where no customer pays opens the PIN page; the right PIN
 * logs the employee in (journaled) and opens the menu, whose every action is done by the services with
 * the employee's id. Five wrong PINs lock the card (Employees). Quiet for STAFF_TIMEOUT_MS, or logged out,
 * it closes and journals the log-out. Nothing here is reachable without a valid card and its PIN: every
 * action is taken only from a logged-in session, and only on the page it belongs to.
 */
export class StaffMode {
  private session: Session | null = null;
  private timer: unknown;
  private readonly timeoutMs: number;

  constructor(private readonly parts: StaffModeParts) {
    this.timeoutMs = parts.timeoutMs ?? STAFF_TIMEOUT_MS;
  }

  /** The page for the screen; null while staff mode is closed. */
  view(): StaffModel | null {
    const { session } = this;
    if (!session) return null;
    return {
      employee: session.employee,
      page: session.page,
      notice: session.notice,
      training: session.loggedIn && this.parts.services.training.isOn(),
      outOfOrder: this.parts.door.outOfOrder(),
      endsAt: session.endsAt,
    };
  }

  /** First look at every scan: true when it was staff mode's (a staff card, or any scan while open). */
  scan(text: string): boolean {
    const { session } = this;
    if (session) {
      if (session.loggedIn && session.page.name === 'return-find' && !session.busy)
        this.findSale(session, text.trim());
      return true;
    }
    if (!looksLikeStaffCard(text)) return false;
    this.openFor(text);
    return true;
  }

  act(action: StaffAction): StaffOutcome {
    const { session } = this;
    if (!session) return { accepted: false, reason: 'staff mode is not open' };
    if (session.busy) return { accepted: false, reason: 'staff mode is busy: wait for the answer' };
    if (action.do === 'pin') {
      if (session.loggedIn || session.page.name !== 'pin') return refused(action);
      this.checkPin(session, action.pin);
      return { accepted: true };
    }
    if (action.do === 'log-out') {
      // From the PIN page too: staff changed their mind; only a log-in is journaled as a log-out.
      this.end('logged-out');
      return { accepted: true };
    }
    if (!session.loggedIn) return refused(action);
    this.rearm(session);
    switch (action.do) {
      case 'menu':
        this.show(session, { name: 'menu' });
        break;
      case 'report':
        this.report(session, action.kind);
        break;
      case 'copy':
        this.copy(session);
        break;
      case 'training':
        this.parts.services.training.set(action.on, session.employee.id);
        this.show(session, { name: 'menu' });
        break;
      case 'out-of-order':
        this.parts.logger.info(`staff switched the kiosk ${action.on ? 'out of order' : 'back in order'}`, {
          employee: session.employee.id,
        });
        this.parts.door.setOutOfOrder(action.on);
        this.show(session, { name: 'menu' });
        break;
      case 'return':
        this.show(session, { name: 'return-find' });
        break;
      case 'return-find':
        if (session.page.name !== 'return-find') return refused(action);
        this.findSale(session, action.receiptNumber);
        break;
      case 'return-confirm':
        if (session.page.name !== 'return-pick') return refused(action);
        this.refund(session, session.page.receiptNumber, action.lines);
        break;
    }
    return { accepted: true };
  }

  /** The daemon stops: a staff member still logged in is logged out in the journal. */
  stop(): void {
    if (this.session) this.end('kiosk-stopped');
  }

  private openFor(text: string): void {
    const { parts } = this;
    const opened = this.employeeFor(text);
    if (!opened.ok) {
      parts.logger.warn(`staff mode not opened: ${opened.what}`, opened.log);
      parts.door.refuse(opened.reason);
      return;
    }
    const { employee } = opened;
    const session: Session = {
      employee: { id: employee.id, name: employee.name },
      loggedIn: false,
      page: { name: 'pin', attemptsLeft: PIN_ATTEMPTS - employee.failedAttempts },
      notice: null,
      busy: false,
      endsAt: 0,
    };
    this.session = session;
    this.rearm(session);
    parts.door.changed();
  }

  /** The employee a scanned card opens staff mode for (the screen taken), or why it opens nothing. */
  private employeeFor(
    text: string,
  ):
    | { ok: true; employee: Employee }
    | { ok: false; reason: StaffCardRefusal; what: string; log: Record<string, string> } {
    const { parts } = this;
    if (parts.cardKey === undefined) return { ok: false, reason: 'off', what: 'no staffCardKey', log: {} };
    const card = readStaffCard(text, parts.cardKey);
    if (!card.ok) return { ok: false, reason: 'forged', what: 'a card whose check does not match', log: {} };
    const log = { employee: card.employeeId };
    const employee = parts.employees.find(card.employeeId, parts.clock.now());
    if (!employee) return { ok: false, reason: 'unknown', what: 'a card of no known employee', log };
    if (employee.lockedUntil !== null) return { ok: false, reason: 'locked', what: 'a locked card', log };
    if (!parts.door.open()) return { ok: false, reason: 'busy', what: 'a card while a customer pays', log };
    return { ok: true, employee };
  }

  private checkPin(session: Session, pin: string): void {
    const { parts } = this;
    session.busy = true;
    this.rearm(session);
    parts.employees
      .checkPin(session.employee.id, pin, () => parts.clock.now())
      .then((check) => {
        session.busy = false;
        if (this.session !== session) return;
        if (check.ok) {
          this.logIn(session);
        } else if (check.reason === 'wrong' && check.until === null) {
          this.show(
            session,
            { name: 'pin', attemptsLeft: check.attemptsLeft },
            { code: 'wrong-pin', message: `Wrong PIN: ${check.attemptsLeft} tries left` },
          );
        } else {
          parts.logger.warn('staff card locked after five wrong PINs', { employee: session.employee.id });
          this.close();
          parts.door.refuse(check.reason === 'unknown' ? 'unknown' : 'locked');
        }
      })
      .catch((error: unknown) => this.fault(session, 'pin-check-failed', error));
  }

  private logIn(session: Session): void {
    try {
      this.parts.journal.staffLoggedIn(session.employee);
    } catch (error) {
      // No log-in the journal does not hold: staff mode stays shut until the journal can be written.
      this.fault(session, 'journal-failed', error);
      return;
    }
    session.loggedIn = true;
    this.parts.logger.info('staff logged in', { employee: session.employee.id });
    this.show(session, { name: 'menu' });
  }

  private report(session: Session, kind: 'x' | 'z'): void {
    try {
      const report = this.parts.services.report(kind, session.employee.id);
      this.show(session, { name: 'report', kind, text: reportText(report, this.parts.heading) });
    } catch (error) {
      this.show(session, session.page, { code: 'report-refused', message: (error as Error).message });
    }
  }

  private copy(session: Session): void {
    const copy = this.parts.services.copyOfLastReceipt(session.employee.id);
    if (copy.ok) this.show(session, { name: 'receipt', receipt: copy.receipt });
    else this.show(session, { name: 'menu' }, { code: copy.code, message: copy.message });
  }

  private findSale(session: Session, receiptNumber: string): void {
    const found = this.parts.services.returns.find(receiptNumber);
    if (!found.ok) {
      this.show(session, { name: 'return-find' }, { code: found.code, message: found.message });
      return;
    }
    const { sale } = found;
    this.show(session, {
      name: 'return-pick',
      receiptNumber: sale.receiptNumber,
      currency: sale.currency,
      refundable: sale.refundable,
      lines: sale.lines.map(({ index, name, quantity, unitPrice, returnable }) => ({
        index,
        name,
        quantity,
        unitPrice,
        returnable,
      })),
    });
  }

  private refund(
    session: Session,
    receiptNumber: string,
    lines: ReadonlyArray<{ index: number; quantity: number }>,
  ): void {
    session.busy = true;
    this.parts.door.changed();
    this.parts.services.returns
      .refund({ receiptNumber, lines, employeeId: session.employee.id })
      .then((outcome) => {
        session.busy = false;
        if (this.session !== session) return;
        if (outcome.ok) {
          this.show(session, { name: 'receipt', receipt: outcome.receipt });
        } else {
          // Pending: journaled, and recovery finishes it; the same return must not be tried again.
          const notice = { code: outcome.code, message: outcome.message };
          this.show(session, outcome.pending ? { name: 'menu' } : session.page, notice);
        }
      })
      .catch((error: unknown) => this.fault(session, 'refund-failed', error));
  }

  private fault(session: Session, code: string, error: unknown): void {
    session.busy = false;
    if (this.session !== session) return;
    this.parts.logger.error(`staff mode: ${code}`, { error: String(error) });
    this.show(session, session.page, { code, message: (error as Error).message ?? String(error) });
  }

  private show(session: Session, page: StaffPage, notice: StaffModel['notice'] = null): void {
    session.page = page;
    session.notice = notice;
    this.parts.door.changed();
  }

  private rearm(session: Session): void {
    const { clock } = this.parts;
    clock.clearTimeout(this.timer);
    session.endsAt = clock.now() + this.timeoutMs;
    this.timer = clock.setTimeout(() => {
      if (this.session === session) this.end('timed-out');
    }, this.timeoutMs);
  }

  private end(reason: StaffLogOutReason): void {
    const session = this.session;
    if (!session) return;
    if (session.loggedIn) {
      try {
        this.parts.journal.staffLoggedOut(session.employee.id, reason);
      } catch (error) {
        // Staff mode closes regardless: a kiosk stuck in staff mode would take no customer at all.
        this.parts.logger.error('staff log-out not journaled', { error: String(error) });
      }
      this.parts.logger.info(`staff mode closed: ${reason}`, { employee: session.employee.id });
    }
    this.close();
  }

  private close(): void {
    this.parts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.session = null;
    this.parts.door.close();
  }
}

function refused(action: StaffAction): StaffOutcome {
  return { accepted: false, reason: `"${action.do}" is not taken on this staff page` };
}
