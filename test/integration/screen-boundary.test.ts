import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../common/log/logger.js';
import { screenAuthorization, screenProtocols } from '../../contracts/screen-auth.js';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';

// Issue 15, finding 4: only the screen may drive the checkout. Each attack below worked against the
// daemon before the screen boundary existed; each is refused now, while the screen itself still gets in.

const MILK = '2000000000015';

interface Answer {
  status: number;
  body: string;
}

/** A request exactly as an attacker's client or a DNS-rebound page would send it, Host header included. */
function send(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

type SocketOutcome =
  | { opened: true; socket: WebSocket; first: ScreenModel }
  | { opened: false; status: number };

/** Opens the screen socket as `origin` offering `protocols`; says whether it opened and what it was sent. */
function openSocket(
  baseUrl: string,
  origin: string | undefined,
  protocols: string[],
): Promise<SocketOutcome> {
  const socket = new WebSocket(
    `${baseUrl.replace('http', 'ws')}/api/ws`,
    protocols,
    origin ? { origin } : {},
  );
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => {
      const message = JSON.parse(String(data)) as { model: ScreenModel };
      resolve({ opened: true, socket, first: message.model });
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('the screen boundary', () => {
  const kiosk = new KioskUnderTest();
  const logged: string[] = [];
  let own: string;
  let token: string;

  beforeAll(async () => {
    await kiosk.start({
      logger: createLogger({ level: 'warn', journal: false, write: (line) => logged.push(line) }),
    });
    own = kiosk.url;
    token = kiosk.kiosk.screenToken;
  });
  afterAll(() => kiosk.stop());

  it('refuses a socket from a web page on another origin: it neither reads the screen nor sends intents', async () => {
    const attempt = await openSocket(own, 'http://evil.example', screenProtocols(token));
    if (attempt.opened) {
      attempt.socket.send(JSON.stringify({ type: 'intent', intent: { type: 'cancel' } }));
      attempt.socket.close();
    }
    expect(attempt).toEqual({ opened: false, status: 403 });
  });

  it('refuses a DNS-rebound name: Host evil.example:8080 does not read /api/state', async () => {
    const answer = await send(own, '/api/state', {
      headers: { host: 'evil.example:8080', authorization: screenAuthorization(token) },
    });
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain('machineState');
    expect((await send(own, '/', { headers: { host: 'evil.example:8080' } })).status).toBe(421);
  });

  it('refuses a local client without the token, on the socket and on the API', async () => {
    expect(await openSocket(own, own, ['vipps-kiosk.screen'])).toEqual({ opened: false, status: 401 });
    expect(await openSocket(own, own, screenProtocols('0'.repeat(64)))).toEqual({
      opened: false,
      status: 401,
    });
    const state = await send(own, '/api/state');
    expect(state.status).toBe(401);
    expect(state.body).not.toContain('machineState');
    const wrong = await send(own, '/api/state', {
      headers: { authorization: screenAuthorization('f'.repeat(64)) },
    });
    expect(wrong.status).toBe(401);
    expect((await send(own, '/api/catalog')).status).toBe(401);
    const scan = await send(own, '/api/scan', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: MILK }),
    });
    expect(scan.status).toBe(401);
    expect((await kiosk.state()).basket.lines).toEqual([]);
  });

  it('refuses a cross-origin text/plain post to the demo scan endpoint, token or not', async () => {
    const body = JSON.stringify({ text: MILK });
    const attempts: Record<string, string>[] = [
      { origin: 'http://evil.example', 'content-type': 'text/plain' },
      {
        origin: 'http://evil.example',
        'content-type': 'application/json',
        authorization: screenAuthorization(token),
      },
      { origin: own, 'content-type': 'text/plain', authorization: screenAuthorization(token) },
    ];
    for (const headers of attempts) {
      const answer = await send(own, '/api/scan', { method: 'POST', headers, body });
      expect(answer.status).toBeGreaterThanOrEqual(403);
      expect(answer.status).toBeLessThan(416);
    }
    expect((await kiosk.state()).basket.lines).toEqual([]);
  });

  it('lets the screen in: its own origin and the token, on the socket and the API', async () => {
    const attempt = await openSocket(own, own, screenProtocols(token));
    expect(attempt.opened).toBe(true);
    if (!attempt.opened) return;
    expect(attempt.socket.protocol).toBe('vipps-kiosk.screen');
    expect(attempt.first.screen).toBe('attract');
    attempt.socket.close();
    const state = await send(own, '/api/state', {
      headers: { origin: own, authorization: screenAuthorization(token) },
    });
    expect(state.status).toBe(200);
    const byName = await send(own, '/api/state', {
      headers: { host: `localhost:${new URL(own).port}`, authorization: screenAuthorization(token) },
    });
    expect(byName.status).toBe(200);
  });

  it('keeps the health check open to local tools, but only under the kiosk’s own name', async () => {
    expect((await send(own, '/healthz')).status).toBe(200);
    expect((await send(own, '/healthz', { headers: { host: 'evil.example:8080' } })).status).toBe(421);
  });

  // Last: by now every attack above was refused, the first of them offering the real token.
  it('logs a refusal with its reason, once a minute with a count, and never the token', () => {
    const refusals = logged.filter((line) => line.includes('screen server refused a request'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/status=403 reason="foreign origin" method=GET path=\/api\/ws/);
    expect(refusals[0]).toContain('origin=http://evil.example');
    expect(logged.join('\n')).not.toContain(token);
  });
});
