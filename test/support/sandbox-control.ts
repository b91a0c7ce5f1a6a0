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
  events: Array<{ name: string; idempotencyKey: string | null }>;
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
