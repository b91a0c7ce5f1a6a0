import type { Aggregate, PaymentState } from '../../contracts/vipps-types.js';
import type { RunningSandbox } from '../../sandbox/index.js';

export interface SandboxPayment {
  reference: string;
  state: PaymentState;
  processing: boolean;
  amount: { currency: string; value: number };
  aggregate: Aggregate;
  customer: string | null;
  request: Record<string, unknown>;
  merchantSerialNumber: string;
  events: Array<{ name: string; idempotencyKey: string | null; success: boolean }>;
  refusals: Array<{ answer: PaymentRefusal; operations: string[]; count: number }>;
}

/** What a payment switch answers (see sandbox/README.md, "Switches"). */
export type PaymentRefusal = '423' | '6160' | '6250' | '6260' | '6280';

export interface SalesUnitSwitches {
  currencies?: Array<'NOK' | 'DKK' | 'EUR'>;
  pushMessage?: boolean;
  epayment?: boolean;
}

export interface SandboxLogin {
  authReqId: string;
  customer: string;
  state: 'PENDING' | 'APPROVED' | 'DENIED' | 'EXPIRED' | 'COMPLETED';
  scopes: string[];
  bindingMessage: string | null;
  intervalSeconds: number;
  expiresAt: string;
}

/** The sandbox's control API over HTTP, as a test (or the person on the phone page) uses it. */
export class SandboxControl {
  constructor(private readonly sandbox: RunningSandbox) {}

  async payments(): Promise<SandboxPayment[]> {
    return (await fetch(`${this.sandbox.url}/_sandbox/payments`)).json() as Promise<SandboxPayment[]>;
  }

  async payment(reference: string): Promise<SandboxPayment> {
    const found = (await this.payments()).find((p) => p.reference === reference);
    if (!found) throw new Error(`sandbox has no payment ${reference}`);
    return found;
  }

  async act(reference: string, action: 'open' | 'approve' | 'reject'): Promise<void> {
    const res = await fetch(`${this.sandbox.url}/_sandbox/payments/${reference}/${action}`, {
      method: 'POST',
    });
    if (!res.ok) throw new Error(`sandbox ${action} ${reference}: ${res.status} ${await res.text()}`);
  }

  /** The one-time payment QR codes on show that no phone has scanned yet, with their target URLs. */
  async openQrCodes(): Promise<Array<{ reference: string; url: string }>> {
    return (await fetch(`${this.sandbox.url}/_sandbox/qr`)).json() as Promise<
      Array<{ reference: string; url: string }>
    >;
  }

  /** `msisdn`'s phone scans a one-time payment QR (its target URL): the payment waits in their app, opened. */
  async scanQr(url: string, msisdn: string): Promise<void> {
    await this.post('/qr/scan', { url, msisdn });
  }

  /** The customer tries to approve, but the authorization fails: an AUTHORIZED event with success false. */
  async failApproval(reference: string): Promise<void> {
    await this.post(`/payments/${reference}/approve`, { success: false });
  }

  /** The next `count` matching calls on the payment answer `answer` (423/6160 any, 6250 cancel, 6260/6280 capture). */
  async refuse(
    reference: string,
    answer: PaymentRefusal,
    options: { count?: number; operations?: Array<'capture' | 'cancel' | 'refund'> } = {},
  ): Promise<void> {
    await this.post(`/payments/${reference}/refuse`, { answer, ...options });
  }

  /** Sets up a sales unit wrongly: no PUSH_MESSAGE approval (5080), no ePayment (403), other currencies (5040). */
  async salesUnit(merchantSerialNumber: string, switches: SalesUnitSwitches): Promise<void> {
    await this.post(`/sales-units/${merchantSerialNumber}`, switches);
  }

  /** Whether 423/6160/6250/429 stay the answer for their Idempotency-Key (default true). */
  async rememberRetryLater(remember: boolean): Promise<void> {
    await this.post('/idempotency', { rememberRetryLater: remember });
  }

  /** The next `count` Login starts towards `msisdn` answer old_app, invalid_user or 429 with `retryAfter`. */
  async refuseLogin(
    msisdn: string,
    answer: 'old_app' | 'invalid_user' | '429',
    options: { count?: number; retryAfter?: number } = {},
  ): Promise<void> {
    await this.post('/logins/refuse', { msisdn, answer, ...options });
  }

  /** Where registered webhook hosts are reached, the retry delays, and which x-ms-date a retry carries. */
  async webhooks(settings: {
    routes?: Array<{ host: string; origin: string }>;
    retryMs?: number[];
    retryDate?: 'attempt' | 'original';
  }): Promise<void> {
    await this.post('/webhooks', settings);
  }

  private async post(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.sandbox.url}/_sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox POST ${path}: ${res.status} ${await res.text()}`);
  }

  async logins(msisdn?: string): Promise<SandboxLogin[]> {
    const query = msisdn ? `?msisdn=${msisdn}` : '';
    return (await fetch(`${this.sandbox.url}/_sandbox/logins${query}`)).json() as Promise<SandboxLogin[]>;
  }

  /** The customer's answer in the app to a Vipps Login request. */
  async answerLogin(
    authReqId: string,
    answer: 'approve' | 'reject',
    acceptedConsents: string[] = [],
  ): Promise<void> {
    const res = await fetch(`${this.sandbox.url}/_sandbox/logins/${authReqId}/${answer}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(answer === 'approve' ? { acceptedConsents } : {}),
    });
    if (!res.ok) throw new Error(`sandbox ${answer} login ${authReqId}: ${res.status} ${await res.text()}`);
  }

  async faults(plan: unknown): Promise<void> {
    const res = await fetch(`${this.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(plan),
    });
    if (!res.ok) throw new Error(`sandbox faults: ${res.status} ${await res.text()}`);
  }

  /** The fault rules not yet used up. */
  async pendingFaults(): Promise<unknown[]> {
    return ((await (await fetch(`${this.sandbox.url}/_sandbox/faults`)).json()) as { rules: unknown[] })
      .rules;
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
  }
}
