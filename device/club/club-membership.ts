import type { Logger } from '../../common/log/logger.js';
import { maskMsisdn, maskPersonalData } from '../../common/log/mask.js';
import type { Member } from '../checkout/domain/member.js';
import type { Membership } from '../checkout/ports.js';
import type { UserInfo, VippsLogin } from '../vipps/login-types.js';
import type { Club, ConsentAnswer, Enrolment } from './club.js';

/** The userinfo answer belongs to another user than the approved login: never enrol on it. */
export class LoginMismatchError extends Error {
  override readonly name = 'LoginMismatchError';
}

export interface ClubMembershipOptions {
  club: Club;
  login: VippsLogin;
  qr: { exchange(qrCode: string): Promise<{ msisdn: string }> };
  kioskId: string;
  logger: Logger;
  now?: () => number;
}

/**
 * The checkout's Membership port over the club store and Vipps: the personal QR exchanged for the
 * number, the store asked, and a consent turned into an enrolment holding only what was given.
 */
export class ClubMembership implements Membership {
  private readonly options: ClubMembershipOptions;

  constructor(options: ClubMembershipOptions) {
    this.options = options;
  }

  async msisdnOf(personalQr: string): Promise<string> {
    return (await this.logged('personal QR exchange', this.options.qr.exchange(personalQr))).msisdn;
  }

  lookup(msisdn: string): Promise<Member | null> {
    return this.logged('membership lookup', this.options.club.lookup(msisdn));
  }

  startLogin(request: Parameters<VippsLogin['startLogin']>[0]) {
    return this.logged('Vipps Login start', this.options.login.startLogin(request));
  }

  pollLogin(authReqId: string) {
    return this.logged('Vipps Login poll', this.options.login.pollToken(authReqId));
  }

  enrol(approval: { accessToken: string; sub: string; msisdn: string }): Promise<Member> {
    return this.logged('club enrolment', this.enrolNow(approval));
  }

  /** Every failure here costs the customer their member prices: a field tech must be able to see why. */
  private async logged<T>(operation: string, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      this.options.logger.warn(`club: ${operation} failed; the customer pays shelf prices`, {
        error: maskPersonalData(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
      });
      throw error;
    }
  }

  private async enrolNow(approval: { accessToken: string; sub: string; msisdn: string }): Promise<Member> {
    const { login, club, kioskId, logger } = this.options;
    const now = this.options.now ?? Date.now;
    const consentedAt = now();
    const info = await login.userinfo(approval.accessToken);
    if (info.sub !== approval.sub) {
      throw new LoginMismatchError(
        'Vipps Login: the userinfo answer is for another user than the approved ID token; nobody was enrolled',
      );
    }
    const member = await club.enrol(enrolmentFrom(info, approval.msisdn, { consentedAt, kioskId, now }));
    logger.info('customer joined the club', { msisdn: maskMsisdn(member.msisdn) });
    return member;
  }
}

/**
 * What to keep: the claims the consent released, exactly, and the merchant consents as answered.
 * The number is the one Vipps confirmed when the phoneNumber scope was given, else the one the login
 * was sent to (which the customer just proved they hold by approving it).
 */
export function enrolmentFrom(
  info: UserInfo,
  msisdn: string,
  at: { consentedAt: number; kioskId: string; now: () => number },
): Enrolment {
  const { sub, delegatedConsents, ...claims } = info;
  const phone = typeof claims['phone_number'] === 'string' ? (claims['phone_number'] as string) : msisdn;
  return {
    sub,
    msisdn: phone.replace(/\D/g, ''),
    claims,
    consents: consentsOf(delegatedConsents),
    consentedAt: at.consentedAt,
    enrolledAt: at.now(),
    kioskId: at.kioskId,
  };
}

function consentsOf(value: unknown): Enrolment['consents'] {
  if (!value || typeof value !== 'object') return null;
  const given = value as { language?: unknown; timeOfConsent?: unknown; consents?: unknown };
  const answers = Array.isArray(given.consents) ? given.consents : [];
  return {
    language: String(given.language ?? ''),
    timeOfConsent: String(given.timeOfConsent ?? ''),
    answers: answers.map(
      (answer: Record<string, unknown>): ConsentAnswer => ({
        id: String(answer['id']),
        accepted: answer['accepted'] === true,
        required: answer['required'] === true,
        textDisplayedToUser: String(answer['textDisplayedToUser'] ?? ''),
      }),
    ),
  };
}
