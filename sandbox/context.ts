// Everything one running sandbox knows, handed to every route handler.

import { AccessTokens, type SandboxCredentials } from './auth.js';
import type { SandboxClock } from './clock.js';
import { CustomerDirectory, type TestCustomer } from './customers.js';
import { FaultInjector } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { PaymentBook } from './payments.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { SandboxWebhooks } from './webhooks.js';

const MINUTE_MS = 60_000;

export interface SandboxContext {
  readonly clock: SandboxClock;
  readonly credentials: SandboxCredentials;
  readonly customers: CustomerDirectory;
  readonly tokens: AccessTokens;
  readonly payments: PaymentBook;
  readonly idempotency: IdempotencyStore;
  /** create, capture, cancel and refund: 5 a minute per reference + MSN (API.md §0.4). */
  readonly changeLimit: SlidingWindowLimiter;
  /** get payment and get events: 120 a minute per reference + subscription key. */
  readonly readLimit: SlidingWindowLimiter;
  readonly faults: FaultInjector;
  readonly webhooks: SandboxWebhooks;
}

export interface ContextOptions {
  readonly clock: SandboxClock;
  readonly credentials: SandboxCredentials;
  readonly customers: readonly TestCustomer[];
  readonly tokenLifetimeSeconds: number;
}

export function createContext(options: ContextOptions): SandboxContext {
  const { clock } = options;
  const webhooks = new SandboxWebhooks(options.credentials.merchantSerialNumber);
  const payments = new PaymentBook(clock, (event) => webhooks.deliver(event));
  webhooks.watch(payments);
  return {
    clock,
    credentials: options.credentials,
    customers: new CustomerDirectory(options.customers),
    tokens: new AccessTokens(clock, options.tokenLifetimeSeconds),
    payments,
    idempotency: new IdempotencyStore(),
    changeLimit: new SlidingWindowLimiter(clock, 5, MINUTE_MS),
    readLimit: new SlidingWindowLimiter(clock, 120, MINUTE_MS),
    faults: new FaultInjector(),
    webhooks,
  };
}

/** Forgets every payment, token, fault, rate-limit window and webhook; the clock and credentials stay. */
export function resetContext(context: SandboxContext): void {
  context.tokens.clear();
  context.payments.clear();
  context.idempotency.clear();
  context.changeLimit.clear();
  context.readLimit.clear();
  context.faults.clear();
  context.webhooks.clear();
}
