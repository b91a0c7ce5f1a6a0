import type { Member } from '../checkout/domain/member.js';

/** One consent given in the Vipps app (`delegatedConsents`), as it was shown and answered. */
export interface ConsentAnswer {
  readonly id: string;
  readonly accepted: boolean;
  readonly required: boolean;
  readonly textDisplayedToUser: string;
}

/** What the customer's Vipps Login consent gave, kept exactly as given and nothing more. */
export interface Enrolment {
  readonly sub: string;
  readonly msisdn: string;
  /** Userinfo claims the consented scopes released (name, email, ...), without `sub`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The merchant's own consents (`delegatedConsents`), when that scope was asked for and given. */
  readonly consents: {
    readonly language: string;
    readonly timeOfConsent: string;
    readonly answers: readonly ConsentAnswer[];
  } | null;
  /** When the customer approved in the app (the login's completion), epoch ms. */
  readonly consentedAt: number;
  readonly enrolledAt: number;
  /** The kiosk that enrolled them. */
  readonly kioskId: string;
}

/**
 * The membership store the checkout asks. Adapters: SQLite in the state directory (the default) and a
 * merchant CRM over HTTP. One contract suite (test/club) holds both to the same behaviour.
 */
export interface Club {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The member with this MSISDN, or null. Throws ClubUnavailableError when the store cannot answer. */
  lookup(msisdn: string): Promise<Member | null>;
  /**
   * Makes the customer a member; the same `sub` again changes nothing and returns the member. A CRM
   * that cannot be reached gets the enrolment later (queued durably), and the member is returned now.
   */
  enrol(enrolment: Enrolment): Promise<Member>;
  /**
   * Deletes everything held about the member with this MSISDN; false if there was none. Throws
   * ClubUnavailableError when the store cannot be reached (nothing is known to be deleted there then).
   */
  forget(msisdn: string): Promise<boolean>;
}

/**
 * The store could not answer (a CRM down or slow), or the CRM refused an enrolment for good: the customer
 * pays at shelf prices.
 */
export class ClubUnavailableError extends Error {
  override readonly name = 'ClubUnavailableError';
}
