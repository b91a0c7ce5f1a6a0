import type { Logger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import type { Enrolment, EnrolmentRequest, EnrolmentStatus, Problem } from '../../contracts/terminal-api.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import type { CheckoutDomainEvent } from '../checkout/domain-events.js';
import type { Membership } from '../checkout/ports.js';
import type { EnrolmentChange, PosEnrolments } from './pos-enrolments.js';
import { type PosTransactions, requestHash } from './pos-transactions.js';
import { problem } from './problems.js';

// The cashier's "Enrol in the club" (the seed's button): the POS names the customer's number, the kiosk
// sends the Vipps Login push (CIBA) through the checkout's own club consent, with the binding code on the
// customer display, and the POS follows the enrolment to its end to price the basket before it pays.
// The consent's end is the checkout's `club.enrolment` event, the same fact a join at the kiosk makes.
// One thing at a time at the terminal: no enrolment while a payment runs, and no payment while one does.

export type EnrolResult = { created: boolean; enrolment: Enrolment } | { problem: Problem };
export type EnrolmentAbortResult = { enrolment: Enrolment } | { problem: Problem };

type Enrolled = Extract<CheckoutDomainEvent, { type: 'club.enrolment' }>;

/** How the consent ended, as the POS's status; a customer who left (or a POS that stopped) is `aborted`. */
const ENDED: Record<Enrolled['outcome'], EnrolmentStatus> = {
  joined: 'joined',
  declined: 'declined',
  timeout: 'timeout',
  unavailable: 'unavailable',
  'approval-lost': 'approval-lost',
  skipped: 'aborted',
  abandoned: 'aborted',
};

export interface EnrolmentDeskParts {
  membership: Membership | undefined;
  checkout: Pick<
    CheckoutService,
    'posEnrolment' | 'abortPosEnrolment' | 'readyForPosPayment' | 'model' | 'onDomainEvent'
  >;
  enrolments: PosEnrolments;
  transactions: Pick<PosTransactions, 'running'>;
  now: () => number;
  logger: Logger;
}

export class EnrolmentDesk {
  private readonly listeners = new Map<string, Set<(enrolment: Enrolment) => void>>();
  /** The enrolment on the customer display now, once the checkout took it. */
  private consenting: string | undefined;
  /** The POS asked to abort the running enrolment (before the checkout took it, or while it waits). */
  private abortWanted = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly parts: EnrolmentDeskParts) {}

  /**
   * After a restart, an enrolment left waiting was the previous process's: nobody polls its login any
   * more, so it ends as aborted by the restart (the POS may check the number: a customer who approved in
   * the very last moment is a member).
   */
  start(): void {
    const left = this.parts.enrolments.running();
    if (left !== undefined) this.change(left.enrolmentId, { status: 'aborted', abortedBy: 'restart' });
    this.unsubscribe = this.parts.checkout.onDomainEvent((event) => {
      if (event.type === 'club.enrolment') this.ended(event);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  get(enrolmentId: string): Enrolment | undefined {
    return this.parts.enrolments.get(enrolmentId)?.enrolment;
  }

  /** The enrolment waiting for its customer now, if any: the terminal takes no payment meanwhile. */
  running(): Enrolment | undefined {
    return this.parts.enrolments.running();
  }

  async enrol(request: EnrolmentRequest): Promise<EnrolResult> {
    const { membership, enrolments, checkout, logger } = this.parts;
    if (membership === undefined) {
      return { problem: problem(404, 'no-club', 'this store has no customer club (club.enabled is off)') };
    }
    const earlier = enrolments.get(request.enrolmentId);
    if (earlier !== undefined) {
      if (earlier.requestHash === requestHash(request)) {
        return { created: false, enrolment: earlier.enrolment };
      }
      return {
        problem: problem(
          409,
          'different-body',
          `enrolment ${request.enrolmentId} was sent before with another number; a new enrolment needs a new enrolmentId`,
        ),
      };
    }
    const busy = this.busy();
    if (busy !== undefined) return { problem: busy };
    if (!checkout.readyForPosPayment()) {
      return {
        problem: problem(
          503,
          'out-of-order',
          'the terminal cannot take a club enrolment now (out of order, in maintenance or in staff mode); see its screen',
        ),
      };
    }
    const masked = maskMsisdn(request.phoneNumber);
    enrolments.insert(request, masked);
    this.abortWanted = false;
    logger.info('POS club enrolment', { enrolmentId: request.enrolmentId, customer: masked });
    const id = request.enrolmentId;
    let member: Awaited<ReturnType<Membership['lookup']>>;
    try {
      member = await membership.lookup(request.phoneNumber);
    } catch (error) {
      logger.warn('club lookup for the POS enrolment failed', { customer: masked, error: String(error) });
      return { created: true, enrolment: this.change(id, { status: 'unavailable' }) };
    }
    if (member !== null) {
      // Nothing to ask the customer: no push goes out.
      return {
        created: true,
        enrolment: this.change(id, { status: 'joined', memberSince: member.since, alreadyMember: true }),
      };
    }
    if (this.abortWanted) {
      return { created: true, enrolment: this.change(id, { status: 'aborted', abortedBy: 'pos' }) };
    }
    if (!checkout.posEnrolment(request.phoneNumber)) {
      logger.warn('the checkout could not take the POS enrolment', { enrolmentId: id });
      return { created: true, enrolment: this.change(id, { status: 'unavailable' }) };
    }
    this.consenting = id;
    const bindingMessage = checkout.model().club?.consent?.bindingMessage;
    return {
      created: true,
      enrolment: bindingMessage ? this.change(id, { bindingMessage }) : this.get(id)!,
    };
  }

  /**
   * The POS stops waiting (the customer walked away). A login request cannot be withdrawn at Vipps: it
   * stays in the app until the customer answers it or it runs out, and its answer is no longer heard. Once
   * the customer has approved, the enrolment completes and the status says `joined`.
   */
  abort(enrolmentId: string): EnrolmentAbortResult {
    const enrolment = this.get(enrolmentId);
    if (enrolment === undefined) return { problem: enrolmentNotFound(enrolmentId) };
    if (enrolment.status !== 'waiting-for-customer') return { enrolment };
    this.abortWanted = true;
    this.parts.logger.info('POS aborts its club enrolment', { enrolmentId });
    if (this.consenting === enrolmentId) this.parts.checkout.abortPosEnrolment();
    return { enrolment: this.get(enrolmentId)! };
  }

  /** Called with every change of the enrolment until it is final. */
  watch(enrolmentId: string, listener: (enrolment: Enrolment) => void): () => void {
    const set = this.listeners.get(enrolmentId) ?? new Set();
    set.add(listener);
    this.listeners.set(enrolmentId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(enrolmentId);
    };
  }

  /** What refuses a new enrolment, or a payment while an enrolment runs (409 busy). */
  busy(): Problem | undefined {
    const enrolment = this.running();
    if (enrolment !== undefined) {
      return problem(
        409,
        'busy',
        `club enrolment ${enrolment.enrolmentId} is still running at the terminal; wait for it to end or abort it`,
        { runningEnrolmentId: enrolment.enrolmentId },
      );
    }
    const payment = this.parts.transactions.running();
    if (payment !== undefined) {
      return problem(
        409,
        'busy',
        `payment ${payment.posTransactionId} is still running at the terminal; enrol the customer before or after it`,
        { runningPosTransactionId: payment.posTransactionId },
      );
    }
    return undefined;
  }

  private ended(event: Enrolled): void {
    const id = this.consenting;
    if (id === undefined) return;
    this.consenting = undefined;
    const status = ENDED[event.outcome];
    this.change(id, {
      status,
      ...(status === 'joined' ? { memberSince: this.parts.now() } : {}),
      ...(status === 'aborted' ? { abortedBy: this.abortWanted ? 'pos' : 'customer' } : {}),
    });
  }

  private change(enrolmentId: string, change: EnrolmentChange): Enrolment {
    const before = this.get(enrolmentId);
    const after = this.parts.enrolments.update(enrolmentId, change);
    if (before?.status === after.status && before.bindingMessage === after.bindingMessage) return after;
    if (after.status !== 'waiting-for-customer') {
      this.parts.logger.info('POS club enrolment ended', { enrolmentId, status: after.status });
    }
    for (const listener of [...(this.listeners.get(enrolmentId) ?? [])]) listener(after);
    return after;
  }
}

export function enrolmentNotFound(enrolmentId: string): Problem {
  return problem(404, 'not-found', `no club enrolment ${enrolmentId} at this terminal`);
}
