import type { Logger } from '../../common/log/logger.js';
import { type Enrolment, isFinalEnrolmentStatus } from '../../contracts/terminal-api.js';
import { type TerminalClient, TerminalProblemError } from '../client/terminal-client.js';
import type { OpenPayment } from '../sale/open-payment.js';
import type { ClubView, EnrolmentEnd, Notice } from '../sale/register-model.js';

// The club part of the sale at the till: the cashier's "Request membership" and "Enrol in the club" for
// the customer's number, asked of the terminal's club. Kept beside the register (register.ts), which
// holds the basket and the payment and prices the basket from the club's view.

/** How long to wait before asking a terminal that did not answer again. */
const RETRY_MS = 1_000;

/** One long-poll of a running enrolment; the terminal answers sooner at any change. */
const ENROLMENT_WAIT_SECONDS = 30;

export type ClubTerminal = Pick<
  TerminalClient,
  'checkMember' | 'startEnrolment' | 'enrolment' | 'abortEnrolment'
>;

/** What the club part asks of the register it belongs to. */
export interface ClubHost {
  /** The club view changed; with a notice for the cashier (null clears it), or keeping the one shown. */
  changed(notice?: Notice | null): void;
  /** Ends with the sale: an answer that comes after it is not this sale's. */
  signal(): AbortSignal;
}

export interface RegisterClubParts {
  terminal: ClubTerminal;
  logger: Logger;
  delay: (ms: number, signal: AbortSignal) => Promise<void>;
  newId: () => string;
  host: ClubHost;
}

export class RegisterClub {
  view: ClubView | null = null;
  /** The POS's id of the club enrolment the cashier started, while it runs. */
  private enrolmentId: string | null = null;
  private readonly terminal: ClubTerminal;
  private readonly logger: Logger;
  private readonly delay: RegisterClubParts['delay'];
  private readonly newId: () => string;
  private readonly host: ClubHost;

  constructor(parts: RegisterClubParts) {
    ({
      terminal: this.terminal,
      logger: this.logger,
      delay: this.delay,
      newId: this.newId,
      host: this.host,
    } = parts);
  }

  /** Member prices apply. */
  member(): boolean {
    return this.view?.state === 'member';
  }

  /** The cashier's club enrolment runs: the customer stays who they are until it ends. */
  enrolling(): boolean {
    return this.view?.state === 'enrolling';
  }

  /**
   * What the till keeps of the club with a payment it sends (open-payment.ts): the state that priced the
   * basket. A running enrolment is never kept, since no payment is sent while it runs.
   */
  kept(): OpenPayment['club'] {
    const view = this.view;
    if (view === null || view.state === 'enrolling') return null;
    return { state: view.state, phoneNumber: view.phoneNumber };
  }

  /** After a restart: the club as it was when the kept payment was sent. */
  restore(kept: OpenPayment['club']): void {
    this.view = kept;
    this.enrolmentId = null;
  }

  /** Another customer, or none: what was known of the club is theirs no more. */
  forget(): void {
    this.view = null;
    this.enrolmentId = null;
  }

  /**
   * Asks the club whether the customer with the typed number is a member, so the basket gets member
   * prices. One who is not may be enrolled by the cashier now (`enrol`), or is offered the club on the
   * customer display when the payment is sent (the kiosk's own club flow).
   */
  async check(phoneNumber: string): Promise<void> {
    const shown = `+${phoneNumber}`;
    const signal = this.host.signal();
    this.view = { state: 'checking', phoneNumber: shown };
    this.host.changed(null);
    try {
      const answer = await this.terminal.checkMember(phoneNumber);
      if (signal.aborted || this.view?.phoneNumber !== shown) return;
      this.view = { state: answer.member ? 'member' : 'not-member', phoneNumber: shown };
      this.host.changed();
    } catch (error) {
      if (signal.aborted || this.view?.phoneNumber !== shown) return;
      this.view = null;
      this.host.changed({
        kind: 'terminal',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * The cashier's "Enrol in the club" (the seed's button) for a customer who is not a member: the
   * terminal pushes a Vipps Login request to their number and shows its code on the customer display;
   * the register follows it to the end, and on `joined` the basket gets member prices. A terminal that
   * does not answer is asked again with the same enrolment id: one push, however often it is asked.
   */
  async enrol(phoneNumber: string): Promise<void> {
    if (this.view?.state !== 'not-member') return;
    const shown = `+${phoneNumber}`;
    const signal = this.host.signal();
    const id = this.newId();
    this.enrolmentId = id;
    this.view = { state: 'enrolling', phoneNumber: shown, bindingMessage: null, aborting: false };
    this.host.changed(null);
    let enrolment: Enrolment | undefined;
    while (enrolment === undefined) {
      try {
        enrolment = await this.terminal.startEnrolment({ enrolmentId: id, phoneNumber });
      } catch (error) {
        if (this.stale(signal, id)) return;
        if (error instanceof TerminalProblemError) {
          // Refused as sent (no club, a payment running): nothing went to the phone.
          this.enrolmentId = null;
          this.view = { state: 'not-member', phoneNumber: shown };
          this.host.changed({ kind: 'terminal', message: error.detail });
          return;
        }
        this.logger.warn('terminal did not answer the enrolment; asking again', { enrolmentId: id });
        this.host.changed({ kind: 'terminal-unreachable' });
        await this.delay(RETRY_MS, signal);
        if (this.stale(signal, id)) return;
      }
    }
    this.host.changed(null);
    while (!isFinalEnrolmentStatus(enrolment.status)) {
      if (this.stale(signal, id)) return;
      this.showEnrolment(enrolment);
      const from = enrolment.status;
      try {
        enrolment = await this.terminal.enrolment(
          id,
          { waitForChangeFrom: from, timeoutSeconds: ENROLMENT_WAIT_SECONDS },
          signal,
        );
      } catch (error) {
        if (this.stale(signal, id)) return;
        this.logger.warn('lost the enrolment at the terminal; asking again', {
          enrolmentId: id,
          error: error instanceof Error ? error.message : String(error),
        });
        await this.delay(RETRY_MS, signal);
      }
    }
    if (this.stale(signal, id)) return;
    this.enrolmentId = null;
    const { status } = enrolment;
    this.view =
      status === 'joined'
        ? { state: 'member', phoneNumber: shown, joined: true }
        : // Final, as the loop above ended: anything but waiting.
          { state: 'not-member', phoneNumber: shown, enrolment: status as EnrolmentEnd };
    this.host.changed();
  }

  /** The enrolment's code as the terminal has it, while it waits for the customer. */
  private showEnrolment(enrolment: Enrolment): void {
    if (this.view?.state !== 'enrolling') return;
    const bindingMessage = enrolment.bindingMessage ?? null;
    if (this.view.bindingMessage === bindingMessage) return;
    this.view = { ...this.view, bindingMessage };
    this.host.changed();
  }

  /** The customer walked away: the terminal stops waiting (the request stays in their app). */
  async abortEnrolment(): Promise<void> {
    const id = this.enrolmentId;
    if (id === null || this.view?.state !== 'enrolling' || this.view.aborting) return;
    this.view = { ...this.view, aborting: true };
    this.host.changed();
    try {
      // The end comes to `enrol`'s long-poll.
      await this.terminal.abortEnrolment(id);
    } catch (error) {
      if (this.enrolmentId !== id || this.view?.state !== 'enrolling') return;
      this.view = { ...this.view, aborting: false };
      this.host.changed({
        kind: 'terminal',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** An answer about enrolment `id` that is no longer the sale's business. */
  private stale(signal: AbortSignal, id: string): boolean {
    return signal.aborted || this.enrolmentId !== id;
  }
}
