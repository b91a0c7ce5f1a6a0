// Everything one running sandbox knows, handed to every route handler.

import { AccessTokens, type SandboxCredentials } from './auth.js';
import type { SandboxClock } from './clock.js';
import { CustomerDirectory, type SandboxCustomer } from './customers.js';
import { FaultInjector } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { publishKeySet, type SigningKey } from './login-keys.js';
import { LoginBook, type LoginClientAuth } from './logins.js';
import { PaymentBook } from './payments.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { PaymentRefusals } from './refusals.js';
import { SalesUnits } from './sales-units.js';
import { SandboxWebhooks } from './webhooks.js';

const MINUTE_MS = 60_000;

export interface SandboxContext {
  readonly clock: SandboxClock;
  readonly credentials: SandboxCredentials;
  readonly customers: CustomerDirectory;
  /** The sales units these keys act for, with their setup switches. */
  readonly salesUnits: SalesUnits;
  /** Per-payment switches: locked (423/6160/6250) and failing captures (6260/6280). */
  readonly refusals: PaymentRefusals;
  readonly tokens: AccessTokens;
  readonly payments: PaymentBook;
  readonly idempotency: IdempotencyStore;
  /** create, capture, cancel and refund: 5 a minute per reference + MSN (API.md §0.4). */
  readonly changeLimit: SlidingWindowLimiter;
  /** get payment and get events: 120 a minute per reference + subscription key. */
  readonly readLimit: SlidingWindowLimiter;
  readonly faults: FaultInjector;
  readonly webhooks: SandboxWebhooks;
  readonly logins: LoginBook;
  /** Vipps Login's signing key, made at start, and the key set that publishes it. */
  readonly loginKey: SigningKey;
  readonly loginKeySet: ReturnType<typeof publishKeySet>;
  readonly loginClientAuth: LoginClientAuth;
}

export interface ContextOptions {
  readonly clock: SandboxClock;
  readonly credentials: SandboxCredentials;
  readonly customers: readonly SandboxCustomer[];
  readonly tokenLifetimeSeconds: number;
  readonly loginClientAuth: LoginClientAuth;
  readonly loginKey: SigningKey;
}

export function createContext(options: ContextOptions): SandboxContext {
  const { clock, loginKey } = options;
  const webhooks = new SandboxWebhooks();
  const payments = new PaymentBook(clock, (event, msn) => webhooks.deliver(event, msn));
  webhooks.watch(payments);
  return {
    clock,
    credentials: options.credentials,
    customers: new CustomerDirectory(options.customers),
    salesUnits: new SalesUnits(options.credentials.merchantSerialNumber),
    refusals: new PaymentRefusals(),
    tokens: new AccessTokens(clock, options.tokenLifetimeSeconds),
    payments,
    idempotency: new IdempotencyStore(),
    changeLimit: new SlidingWindowLimiter(clock, 5, MINUTE_MS),
    readLimit: new SlidingWindowLimiter(clock, 120, MINUTE_MS),
    faults: new FaultInjector(),
    webhooks,
    logins: new LoginBook(clock),
    loginKey,
    loginKeySet: publishKeySet([loginKey]),
    loginClientAuth: options.loginClientAuth,
  };
}

/**
 * Forgets every payment, login, token, fault, rate-limit window and webhook and sets every switch back;
 * the clock, credentials and keys stay.
 */
export function resetContext(context: SandboxContext): void {
  context.salesUnits.reset();
  context.refusals.clear();
  context.tokens.clear();
  context.payments.clear();
  context.idempotency.clear();
  context.changeLimit.clear();
  context.readLimit.clear();
  context.faults.clear();
  context.webhooks.clear();
  context.logins.clear();
}
