// Public entry of the Vipps MobilePay sandbox: a local stand-in for the Vipps APIs the kiosk calls, as strict
// as the real ones, plus a control API (`/_sandbox/...`) and a phone page (`/phone`) to play the customer.

import type { AddressInfo } from 'node:net';
import { resolveCredentials, type SandboxCredentials } from './auth.js';
import { SandboxClock } from './clock.js';
import { createContext } from './context.js';
import {
  type Market,
  MOBILEPAY_CUSTOMERS,
  type SandboxCustomer,
  TEST_CUSTOMERS,
  type TestCustomer,
} from './customers.js';
import { generateSigningKey } from './login-keys.js';
import type { LoginClientAuth } from './logins.js';
import type { Currency } from './payments.js';
import { createSandboxServer } from './server.js';

export type { SandboxCredentials } from './auth.js';
export { SandboxClock } from './clock.js';
export type { Market, SandboxCustomer, TestCustomer } from './customers.js';

/** A sales unit these keys act for, and the test users of its market. */
export interface SandboxSalesUnit {
  readonly merchantSerialNumber: string;
  readonly market: Market;
  readonly currency: Currency;
  readonly customers: readonly SandboxCustomer[];
}

export interface StartSandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  credentials?: Partial<SandboxCredentials>;
  clock?: SandboxClock;
  /** Default 3600, as in the Vipps test environment. */
  tokenLifetimeSeconds?: number;
  /** How Vipps Login wants the client to authenticate; default client_secret_basic. */
  loginClientAuth?: LoginClientAuth;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:41234 — use it as the Vipps base URL. */
  url: string;
  port: number;
  credentials: SandboxCredentials;
  /** The Norwegian (NOK) sales unit's test users: the unit `credentials.merchantSerialNumber` names. */
  customers: readonly TestCustomer[];
  /** NOK (Vipps, Norway), DKK (MobilePay, Denmark) and EUR (MobilePay, Finland), each with its users. */
  salesUnits: readonly SandboxSalesUnit[];
  clock: SandboxClock;
  close(): Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  if (!(tokenLifetimeSeconds > 0)) throw new RangeError('tokenLifetimeSeconds must be positive');
  const clock = options.clock ?? new SandboxClock();
  const credentials = resolveCredentials(options.credentials);
  const context = createContext({
    clock,
    credentials,
    customers: [...TEST_CUSTOMERS, ...MOBILEPAY_CUSTOMERS],
    tokenLifetimeSeconds,
    loginClientAuth: options.loginClientAuth ?? 'client_secret_basic',
    loginKey: await generateSigningKey(),
  });
  const { server, close } = createSandboxServer(context);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    credentials,
    customers: TEST_CUSTOMERS,
    salesUnits: context.salesUnits.list().map(({ merchantSerialNumber, market, currency }) => ({
      merchantSerialNumber,
      market,
      currency,
      customers: context.customers.list().filter((customer) => customer.market === market),
    })),
    clock,
    close,
  };
}

/** A wildcard bind is reached through loopback; IPv6 literals need brackets in a URL. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
