import { generateKeyPairSync } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CommandArgs, commandKeyId, verifyCommand } from '../../contracts/hq-command.js';
import { exchangeCommand } from '../../hq/commands/send-command.js';
import type { KioskDetail } from '../../hq/web/fleet-queries.js';
import { SESSION_COOKIE } from '../../hq/web/hq-server.js';
import { describeWithPostgres, TestPostgres } from '../support/postgres.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import {
  builtPage,
  type HqPageFixture,
  LIMITED,
  OPERATOR,
  sale,
  seedKiosk,
  startHqPage,
  VIEWER,
  Visitor,
  zReport,
} from './hq-page-fixture.js';

// `hq serve`'s server on loopback against a real PostgreSQL and a real Mosquitto: sign-in and its
// cookies, the CSRF token on every POST, roles, sessions that expire, live changes over SSE from the
// broker, and the sales figures against the seeded events.

const SITE = 'oslo-1';
const DEVICE = 'kiosk-07';

describeWithMosquitto('hq serve', () => {
  describeWithPostgres('the page server', () => {
    let postgres: TestPostgres;
    let broker: Mosquitto;
    let page: Awaited<ReturnType<typeof builtPage>>;
    let hq: HqPageFixture;
    let kiosk: MqttClient;
    const commandKey = generateKeyPairSync('ed25519');

    beforeAll(async () => {
      [postgres, broker, page] = await Promise.all([TestPostgres.start(), Mosquitto.start(), builtPage()]);
      const endpoint = { url: broker.url, username: broker.username, password: broker.password };
      hq = await startHqPage(await postgres.createDatabase(), page.dir, {
        broker: endpoint,
        server: {
          sendCommand: (site: string, device: string, name: string, args: CommandArgs) =>
            exchangeCommand({
              broker: endpoint,
              privateKey: commandKey.privateKey,
              site,
              device,
              name,
              args,
              ttlMs: 60_000,
              timeoutMs: 10_000,
            }),
        },
      });
      kiosk = await connectAsync(broker.url, {
        username: broker.username,
        password: broker.password,
        clientId: 'kiosk-under-test',
        reconnectPeriod: 0,
      });
      kiosk.on('error', () => {});
    }, 120_000);

    afterAll(async () => {
      await kiosk?.endAsync(true);
      await hq?.stop();
      await broker?.dispose();
      await postgres?.dispose();
      await page?.remove();
    });

    it('signs a user in with an HttpOnly SameSite=Strict cookie and out again', async () => {
      const visitor = new Visitor(hq.url);
      expect((await visitor.fetch('/')).headers.get('location')).toBe('/login');
      expect((await visitor.fetch('/api/fleet')).status).toBe(401);
      const res = await visitor.signIn(VIEWER.name, VIEWER.password);
      expect(res.status).toBe(303);
      const cookie = visitor.jar.lastSetCookie.find((line) => line.startsWith(`${SESSION_COOKIE}=`)) ?? '';
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).not.toMatch(/Secure/); // plain HTTP on loopback
      expect(await (await visitor.fetch('/api/session')).json()).toMatchObject({
        user: VIEWER.name,
        role: 'viewer',
      });
      expect((await visitor.fetch('/')).status).toBe(200);

      expect((await visitor.post('/logout', {})).status).toBe(200);
      expect((await visitor.fetch('/api/session')).status).toBe(401);
    });

    it('refuses a wrong password, and a name after five wrong ones until they leave the window', async () => {
      const visitor = new Visitor(hq.url);
      const wrong = await visitor.signIn(LIMITED.name, 'not-the-password');
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain('Wrong user name or password.');
      expect(visitor.jar.has(SESSION_COOKIE)).toBe(false);
      expect((await visitor.signIn('nobody-here', 'guess-number-x')).status).toBe(401);
      for (let i = 0; i < 4; i += 1) await visitor.signIn(LIMITED.name, `guess-number-${i}`);
      const start = hq.clock.now;
      try {
        const limited = await visitor.signIn(LIMITED.name, LIMITED.password);
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
        expect(visitor.jar.has(SESSION_COOKIE)).toBe(false);
        // Another name from the same address is not held up by rita's failures.
        expect((await new Visitor(hq.url).signIn(VIEWER.name, VIEWER.password)).status).toBe(303);
        hq.clock.now = start + 15 * 60_000 + 1_000;
        expect((await visitor.signIn(LIMITED.name, LIMITED.password)).status).toBe(303);
      } finally {
        hq.clock.now = start;
      }
    });

    it('refuses a POST without the session CSRF token, and a login form without its token', async () => {
      const visitor = new Visitor(hq.url);
      expect((await visitor.signIn(VIEWER.name, VIEWER.password)).status).toBe(303);
      expect((await visitor.post('/logout', {}, '')).status).toBe(403);
      expect((await visitor.post('/logout', {}, 'x'.repeat(43))).status).toBe(403);
      expect((await visitor.fetch('/api/session')).status).toBe(200); // still signed in
      const forged = await fetch(`${hq.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          csrf: 'made-up',
          name: VIEWER.name,
          password: VIEWER.password,
        }).toString(),
      });
      expect(forged.status).toBe(403);
      expect(forged.headers.getSetCookie().some((c) => c.startsWith(SESSION_COOKIE))).toBe(false);
    });

    it('ends a session at its expiry', async () => {
      const visitor = new Visitor(hq.url);
      expect((await visitor.signIn(VIEWER.name, VIEWER.password)).status).toBe(303);
      const start = hq.clock.now;
      try {
        hq.clock.now = start + 8 * 3_600_000 - 1_000;
        expect((await visitor.fetch('/api/session')).status).toBe(200);
        hq.clock.now = start + 8 * 3_600_000 + 1_000;
        expect((await visitor.fetch('/api/session')).status).toBe(401);
      } finally {
        hq.clock.now = start;
      }
    });

    it("lets an operator send a signed command and shows the kiosk's answer; a viewer gets 403", async () => {
      const commands: string[] = [];
      await kiosk.subscribeAsync(`vk/v1/${SITE}/${DEVICE}/cmd/+`, { qos: 1 });
      const answer = (_topic: string, payload: Buffer) => {
        const text = payload.toString();
        commands.push(text);
        const verified = verifyCommand(text, {
          site: SITE,
          device: DEVICE,
          name: 'identify',
          keys: () => new Map([[commandKeyId(commandKey.publicKey), commandKey.publicKey]]),
          now: Date.now(),
        });
        if (!verified.ok) return;
        void kiosk.publishAsync(
          `vk/v1/${SITE}/${DEVICE}/resp/identify`,
          JSON.stringify({
            transactionId: verified.command.transactionId,
            ok: true,
            result: { blinkingForSeconds: 10 },
          }),
          { qos: 1 },
        );
      };
      kiosk.on('message', answer);
      try {
        const viewer = new Visitor(hq.url);
        await viewer.signIn(VIEWER.name, VIEWER.password);
        const refused = await viewer.post(`/api/kiosks/${SITE}/${DEVICE}/commands`, {
          name: 'identify',
          args: { seconds: 10 },
        });
        expect(refused.status).toBe(403);
        expect(commands).toEqual([]);

        const operator = new Visitor(hq.url);
        await operator.signIn(OPERATOR.name, OPERATOR.password);
        const noCsrf = await operator.post(
          `/api/kiosks/${SITE}/${DEVICE}/commands`,
          { name: 'identify', args: {} },
          '',
        );
        expect(noCsrf.status).toBe(403);
        const unknown = await operator.post(`/api/kiosks/${SITE}/${DEVICE}/commands`, {
          name: 'saft-export',
          args: {},
        });
        expect(unknown.status).toBe(400);
        const sent = await operator.post(`/api/kiosks/${SITE}/${DEVICE}/commands`, {
          name: 'identify',
          args: { seconds: 10 },
        });
        expect(await sent.json()).toMatchObject({ ok: true, result: { blinkingForSeconds: 10 } });
        expect(commands).toHaveLength(1);
      } finally {
        kiosk.off('message', answer);
      }
    });

    it("delivers a kiosk's state change from the broker over server-sent events", async () => {
      const visitor = new Visitor(hq.url);
      await visitor.signIn(VIEWER.name, VIEWER.password);
      const controller = new AbortController();
      const res = await visitor.fetch('/api/live', { signal: controller.signal });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const until = async (pattern: RegExp) => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended before ${pattern}: ${text}`);
          text += value;
        }
      };
      try {
        await until(/event: fleet\n/);
        expect(text).toContain('"source":"broker","live":true');
        await kiosk.publishAsync(
          `vk/v1/${SITE}/${DEVICE}/state`,
          JSON.stringify({ screen: 'maintenance', vippsReachable: true, scannerAttached: false }),
          { qos: 1, retain: true },
        );
        await until(/event: kiosk\ndata: [^\n]*"screen":"maintenance"/);
        const line = /event: kiosk\ndata: ([^\n]*"screen":"maintenance"[^\n]*)/.exec(text)?.[1] ?? '{}';
        expect(JSON.parse(line)).toMatchObject({
          site: SITE,
          device: DEVICE,
          screen: 'maintenance',
          scannerAttached: false,
        });
      } finally {
        controller.abort();
        await kiosk.publishAsync(`vk/v1/${SITE}/${DEVICE}/state`, '', { qos: 1, retain: true });
      }
    });

    it("plots a kiosk's reconnects from its health samples, none for a sample too old to count them", async () => {
      await seedKiosk(hq.database.pool, 'tromso-3', 'kiosk-01', 'attract', []); // a health sample without the count
      const now = Date.now();
      for (const [minutesAgo, mqttReconnects] of [
        [20, 0],
        [10, 3],
      ] as const) {
        await hq.database.pool.query(
          `INSERT INTO health_samples (site, device, received_at, payload) VALUES ($1, $2, $3, $4)`,
          ['tromso-3', 'kiosk-01', new Date(now - minutesAgo * 60_000), { rssMb: 80, mqttReconnects }],
        );
      }
      const visitor = new Visitor(hq.url);
      await visitor.signIn(VIEWER.name, VIEWER.password);
      const detail = (await (await visitor.fetch('/api/kiosks/tromso-3/kiosk-01')).json()) as KioskDetail;
      const [seconds, , rss, , reconnects] = detail.health;
      expect(seconds).toHaveLength(3);
      expect(rss).toEqual([80, 80, 80]);
      expect(reconnects).toEqual([0, 3, null]);
    });

    it("gives sales per hour and day whose totals equal the seeded events, beside the Z report's", async () => {
      const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+01:00`); // Oslo, winter time
      await seedKiosk(hq.database.pool, 'bergen-2', 'kiosk-01', 'attract', [
        sale(at('09:15'), 12_50, '1'),
        sale(at('09:40'), 100_00, '2'),
        sale(at('13:05'), 45_90, '3'),
        zReport(at('21:00'), 1, 158_40),
        sale(new Date('2026-03-03T00:30:00+01:00'), 999_00, '4'), // the next day in Oslo
      ]);
      const visitor = new Visitor(hq.url);
      await visitor.signIn(VIEWER.name, VIEWER.password);
      const hours = (await (
        await visitor.fetch('/api/sales?by=hour&from=2026-03-02&to=2026-03-02')
      ).json()) as {
        buckets: number[];
        kiosks: Array<{
          device: string;
          amounts: number[];
          counts: number[];
          sales: { count: number; amount: number };
          zReports: { amount: number; numbers: number[] };
        }>;
      };
      const kiosk = hours.kiosks.find((k) => k.device === 'kiosk-01');
      expect(hours.buckets.map((s) => new Date(s * 1000).toISOString())).toEqual([
        '2026-03-02T08:00:00.000Z',
        '2026-03-02T12:00:00.000Z',
      ]);
      expect(kiosk?.amounts).toEqual([112_50, 45_90]);
      expect(kiosk?.counts).toEqual([2, 1]);
      expect(kiosk?.sales).toEqual({ count: 3, amount: 158_40 });
      expect(kiosk?.zReports).toMatchObject({ amount: 158_40, numbers: [1] });
      const days = (await (
        await visitor.fetch('/api/sales?by=day&from=2026-03-02&to=2026-03-03')
      ).json()) as typeof hours;
      expect(days.kiosks.find((k) => k.device === 'kiosk-01')?.amounts).toEqual([158_40, 999_00]);
      expect((await visitor.fetch('/api/sales?by=week&from=2026-03-02')).status).toBe(400);
    });
  });
});
