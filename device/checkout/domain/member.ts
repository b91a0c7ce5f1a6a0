/** A customer-club member as the checkout needs them: enough to price the basket and greet them. */
export interface Member {
  /** Vipps' stable user id for this sales unit (`sub`). */
  readonly sub: string;
  /** MSISDN with country code, digits only (4712345678). */
  readonly msisdn: string;
  /** When they joined, epoch ms. */
  readonly since: number;
}
