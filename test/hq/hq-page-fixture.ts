import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { silentLogger } from '../../common/log/logger.js';
import type { BrokerEndpoint } from '../../common/mqtt/link.js';
import { databaseOption, type HqDatabase, openDatabase } from '../../hq/database/database.js';
import { HqServer, type HqServerOptions } from '../../hq/web/hq-server.js';
import { LiveFleet } from '../../hq/web/live-fleet.js';
import { UserStore } from '../../hq/web/users.js';
import { buildHq } from '../../ui/build.mjs';

// The HQ page's server on loopback over a real database, with a viewer and an operator, for the
// server's tests and the page's in Chromium. `clock` is the server's time (sessions expire by it).

export const VIEWER = { name: 'vera', password: 'viewer-password-1' };
export const OPERATOR = { name: 'otto', password: 'operator-password-1' };
/** The user whose sign-ins the rate-limit test spends. */
export const LIMITED = { name: 'rita', password: 'limited-password-1' };

export interface HqPageFixture {
  url: string;
  database: HqDatabase;
  live: LiveFleet;
  clock: { now: number };
  stop(): Promise<void>;
}

/** The built page, once per test file. */
export async function builtPage(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vk-hq-page-'));
  await buildHq({ outDir: dir });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function startHqPage(
  databaseUrl: string,
  pageDir: string,
  options: { broker?: BrokerEndpoint; server?: Partial<HqServerOptions> } = {},
): Promise<HqPageFixture> {
  const database = await openDatabase(databaseOption(databaseUrl));
  const users = new UserStore(database.pool);
  await users.add(VIEWER.name, 'viewer', VIEWER.password);
  await users.add(OPERATOR.name, 'operator', OPERATOR.password);
  await users.add(LIMITED.name, 'viewer', LIMITED.password);
  const clock = { now: Date.now() };
  const live = new LiveFleet({ pool: database.pool, broker: options.broker, logger: silentLogger });
  await live.start();
  const server = new HqServer({
    pool: database.pool,
    live,
    pageDir,
    logger: silentLogger,
    port: 0,
    now: () => clock.now,
    timeZone: 'Europe/Oslo',
    ...options.server,
  });
  const url = await server.start();
  return {
    url,
    database,
    live,
    clock,
    async stop() {
      await server.stop();
      await live.stop();
      await database.close();
    },
  };
}

/** A browser's cookies for one site, as fetch does not keep them. */
export class CookieJar {
  private readonly jar = new Map<string, string>();
  /** The Set-Cookie lines of the last answer that set any, for the attributes' checks. */
  lastSetCookie: string[] = [];

  take(res: Response): void {
    const lines = res.headers.getSetCookie();
    if (lines.length > 0) this.lastSetCookie = lines;
    for (const line of lines) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '') this.jar.delete(pair.slice(0, at));
      else this.jar.set(pair.slice(0, at), value);
    }
  }

  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  has(name: string): boolean {
    return this.jar.has(name);
  }
}

/** A signed-in visitor of the page: fetch with its cookies and its CSRF token. */
export class Visitor {
  readonly jar = new CookieJar();
  csrfToken = '';

  constructor(private readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      redirect: 'manual',
      ...init,
      headers: { cookie: this.jar.header(), ...(init.headers as Record<string, string>) },
    });
    this.jar.take(res);
    return res;
  }

  /** Fetches the sign-in form and posts it; the answer of the POST. */
  async signIn(name: string, password: string): Promise<Response> {
    const form = await (await this.fetch('/login')).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const res = await this.fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, name, password }).toString(),
    });
    if (res.status === 303) {
      const session = (await (await this.fetch('/api/session')).json()) as { csrfToken: string };
      this.csrfToken = session.csrfToken;
    }
    return res;
  }

  post(path: string, body: unknown, csrf = this.csrfToken): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
  }
}

type Seed = { type: string; at: Date; payload: Record<string, unknown>; amount?: number };

/** Rows as the collector writes them, for a kiosk that said it was online and in `screen`. */
export async function seedKiosk(
  pool: Pool,
  site: string,
  device: string,
  screen: string,
  events: Seed[],
): Promise<void> {
  await pool.query(
    `INSERT INTO presence (site, device, boot_id, session, state, version) VALUES ($1, $2, 'boot-1', 1, 'online', '1.0.0')`,
    [site, device],
  );
  await pool.query(
    `INSERT INTO kiosk_states (site, device, payload) VALUES ($1, $2, $3)
     ON CONFLICT (site, device) DO UPDATE SET payload = excluded.payload`,
    [site, device, { screen, vippsReachable: true, scannerAttached: true }],
  );
  await pool.query(`INSERT INTO health_samples (site, device, payload) VALUES ($1, $2, $3)`, [
    site,
    device,
    {
      rssMb: 80,
      eventLoopDelayMs: { p50: 0, p99: 3 },
      outboxDepth: 0,
      degraded: false,
      printer: { condition: 'ready', model: null },
    },
  ]);
  let n = 0;
  for (const e of events) {
    n += 1;
    await pool.query(
      `INSERT INTO events (site, device, id, type, class, at, reference, amount, currency, payload)
       VALUES ($1, $2, $3, $4, 'money', $5, $6, $7, 'NOK', $8)`,
      [
        site,
        device,
        `${device}-${n}`,
        e.type,
        e.at,
        e.payload.reference ?? null,
        e.amount ?? null,
        e.payload,
      ],
    );
  }
}

export function sale(at: Date, amount: number, receipt: string): Seed {
  return {
    type: 'checkout-completed',
    at,
    amount,
    payload: {
      reference: `ref-${receipt}`,
      receiptNumber: receipt,
      amount,
      currency: 'NOK',
      items: 1,
      vat: [],
      memberSavings: 0,
    },
  };
}

export function zReport(at: Date, number: number, amount: number): Seed {
  return {
    type: 'report',
    at,
    payload: { kind: 'z', number, at: at.toISOString(), receipts: 2, sales: { amount, netAmount: amount } },
  };
}
