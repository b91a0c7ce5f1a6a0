import type { Logger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import { isPlausibleMsisdn } from '../../contracts/phone-numbers.js';
import type { MemberAnswer, Problem } from '../../contracts/terminal-api.js';
import type { Membership } from '../checkout/ports.js';
import { problem } from './problems.js';

// The customer club for the POS: whether the customer with this number is a member, so the POS can price
// the basket before it sends the payment. The same Membership port the checkout asks (device/club).

export type MemberResult = { answer: MemberAnswer } | { problem: Problem };

export class TerminalClub {
  constructor(
    private readonly membership: Membership | undefined,
    private readonly logger: Logger,
  ) {}

  async member(phoneNumber: string): Promise<MemberResult> {
    if (this.membership === undefined) {
      return { problem: problem(404, 'no-club', 'this store has no customer club (club.enabled is off)') };
    }
    if (!isPlausibleMsisdn(phoneNumber)) {
      return {
        problem: problem(
          422,
          'invalid-request',
          'not a mobile number of a Vipps MobilePay country (country code and number, digits only)',
          { field: 'phoneNumber' },
        ),
      };
    }
    try {
      const member = await this.membership.lookup(phoneNumber);
      return {
        answer:
          member === null
            ? { member: false }
            : { member: true, memberSince: new Date(member.since).toISOString() },
      };
    } catch (error) {
      this.logger.warn('club lookup for the POS failed', {
        customer: maskMsisdn(phoneNumber),
        error: String(error),
      });
      return {
        problem: problem(
          503,
          'club-unavailable',
          'the customer club cannot answer now; price the basket without it',
        ),
      };
    }
  }
}
