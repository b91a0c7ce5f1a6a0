import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../common/log/logger.js';
import { ClubUnavailableError } from '../../device/club/club.js';
import { CRM_QUEUE_FILE } from '../../device/club/crm-queue.js';
import { HttpClub, type HttpClubOptions } from '../../device/club/http-club.js';
import { CRM_TOKEN, CrmServer } from '../support/crm-server.js';
import { clubContract, enrolment } from './club-contract.js';
import { storedBytes } from './stored-bytes.js';

const FAST_RETRY = { initialMs: 20, maxMs: 80 };

clubContract('HTTP CRM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-crm-'));
  const crm = new CrmServer();
  await crm.start();
  return {
    open: () =>
      new HttpClub({
        baseUrl: crm.url,
        token: CRM_TOKEN,
        timeoutMs: 2_000,
        queuePath: join(dir, CRM_QUEUE_FILE),
        backoff: FAST_RETRY,
      }),
    cleanup: async () => {
      await crm.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

// Taken before any test fakes the timers, so waiting on the real CRM keeps working under a fake clock.
const realSetTimeout = setTimeout;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => realSetTimeout(resolve, 10));
  }
}

describe('HTTP CRM club: the wire and the outages', () => {
  let dir: string;
  let crm: CrmServer;
  let log: string[];
  const clubs: HttpClub[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-crm-'));
    crm = new CrmServer();
    await crm.start();
    log = [];
  });

  afterEach(async () => {
    for (const club of clubs.splice(0)) await club.stop();
    await crm.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function started(options: Partial<HttpClubOptions> = {}): Promise<HttpClub> {
    const club = new HttpClub({
      baseUrl: crm.url,
      token: CRM_TOKEN,
      timeoutMs: 300,
      queuePath: join(dir, CRM_QUEUE_FILE),
      backoff: FAST_RETRY,
      logger: createLogger({ level: 'debug', journal: false, write: (line) => log.push(line) }),
      ...options,
    });
    clubs.push(club);
    await club.start();
    return club;
  }

  it('sends the documented requests: bearer token, JSON body with ISO times, sub in the path', async () => {
    const club = await started();
    await club.enrol(enrolment());
    expect(crm.members.get(enrolment().sub)).toEqual({
      sub: enrolment().sub,
      msisdn: '4712345678',
      claims: enrolment().claims,
      consents: null,
      consentedAt: '2026-11-23T14:59:58.000Z',
      enrolledAt: '2026-11-23T15:00:00.000Z',
      kioskId: 'kiosk-1',
    });
    await club.lookup('4712345678');
    await club.forget('4712345678');
    expect(crm.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `PUT /club/v1/members/${enrolment().sub} 201`,
      'GET /club/v1/members?msisdn=4712345678 200',
      'DELETE /club/v1/members?msisdn=4712345678 204',
    ]);
  });

  it('a token the CRM does not accept makes lookups unavailable, saying so', async () => {
    const club = await started({ token: 'wrong' });
    await expect(club.lookup('4712345678')).rejects.toThrow(
      /could not look up the member: HTTP 401 \(the CRM does not accept secrets.club.crmToken\)/,
    );
  });

  it('the test CRM is as strict as the contract: token, paths, content type, JSON shape', async () => {
    const put = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${crm.url}/members/sub-1`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${CRM_TOKEN}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.status);
    const good = {
      msisdn: '4712345678',
      claims: { name: 'Kari' },
      consents: null,
      consentedAt: '2026-11-23T14:59:58.000Z',
      enrolledAt: '2026-11-23T15:00:00.000Z',
      kioskId: 'kiosk-1',
    };
    expect(await put(good, { authorization: 'Bearer wrong' })).toBe(401);
    expect(await put(good, { 'content-type': 'text/plain' })).toBe(415);
    expect(await put({ ...good, name: 'Kari' })).toBe(400);
    expect(await put({ ...good, claims: { sub: 'sub-1' } })).toBe(400);
    expect(await put({ ...good, msisdn: '+47 12345678' })).toBe(400);
    expect(await put({ ...good, enrolledAt: 1_763_910_000_000 })).toBe(400);
    const get = (query: string) =>
      fetch(`${crm.url}/members${query}`, { headers: { authorization: `Bearer ${CRM_TOKEN}` } }).then(
        (r) => r.status,
      );
    expect(await get('?msisdn=12345')).toBe(400);
    expect(await get('?msisdn=4712345678&name=x')).toBe(400);
    expect(await get('?msisdn=4712345678')).toBe(404);
    expect(await put(good)).toBe(201);
    expect(await get('?msisdn=4712345678')).toBe(200);
  });

  it('an enrolment the CRM refuses our token for stays queued (a fixed token delivers it)', async () => {
    const club = await started({ token: 'expired', backoff: { initialMs: 60_000, maxMs: 60_000 } });
    expect(await club.enrol(enrolment())).toEqual({
      sub: enrolment().sub,
      msisdn: '4712345678',
      since: enrolment().enrolledAt,
    });
    expect(club.stats()).toEqual({ queued: 1, delivered: 0, refused: 0 });
    expect(log.join('\n')).toContain('HTTP 401 (the CRM does not accept secrets.club.crmToken)');
  });

  it.each([
    ['down', 'down', /ECONNREFUSED/],
    ['slow beyond the timeout', 'slow', /no answer within 300 ms/],
    ['answering 500', 'error', /HTTP 500/],
    ['answering garbage', 'garbage', /not the member asked for/],
  ] as const)(
    'a lookup while the CRM is %s is ClubUnavailableError (shelf prices)',
    async (_name, fault, reason) => {
      const club = await started();
      if (fault === 'down') await crm.down();
      else crm.fault = fault;
      const lookup = club.lookup('4712345678');
      await expect(lookup).rejects.toThrow(ClubUnavailableError);
      await expect(lookup).rejects.toThrow(reason);
      // One try, and the customer is not kept waiting on the CRM: the slow one has not even answered yet.
      expect(crm.received.length).toBe(fault === 'down' ? 0 : 1);
      if (fault === 'slow') expect(crm.requests).toEqual([]);
    },
  );

  it('an enrolment while the CRM is down is a member at once, and delivered exactly once when it is back', async () => {
    const club = await started();
    await crm.down();
    const member = await club.enrol(enrolment());
    expect(member).toEqual({ sub: enrolment().sub, msisdn: '4712345678', since: enrolment().enrolledAt });
    expect(club.stats().queued).toBe(1);
    expect(await club.lookup('4712345678')).toEqual(member);
    await club.enrol(enrolment({ sub: 'c0ffee00-0000-4000-8000-000000000002', msisdn: '4711111111' }));

    await crm.start();
    await until(() => club.stats().queued === 0, 'the queue drained');
    expect(crm.created.get(enrolment().sub)).toBe(1);
    expect(crm.created.get('c0ffee00-0000-4000-8000-000000000002')).toBe(1);
    expect(club.stats()).toEqual({ queued: 0, delivered: 2, refused: 0 });
    expect(await club.lookup('4712345678')).toEqual(member);
    // stop() waits for any write still in flight; with the queue empty nothing else could be sent, so
    // these are all the PUTs there will ever be: one each.
    await club.stop();
    expect(crm.requests.filter((r) => r.method === 'PUT').map((r) => `${r.path} ${r.status}`)).toEqual([
      `/club/v1/members/${enrolment().sub} 201`,
      '/club/v1/members/c0ffee00-0000-4000-8000-000000000002 201',
    ]);
    expect(log.join('\n')).toMatch(/stays queued and is retried msisdn=47\*\*\*\*\*\*78/);
    expect(log.join('\n')).not.toContain('4712345678');
  });

  it('an enrolment the slow CRM took after our timeout is not created twice by the retry', async () => {
    // The retry comes 400 ms after the timeout, when the CRM has long finished the first PUT.
    const club = await started({ backoff: { initialMs: 400, maxMs: 400, random: () => 1 } });
    crm.fault = 'slow';
    crm.slowMs = 400;
    await club.enrol(enrolment());
    expect(club.stats().queued).toBe(1);
    await until(() => crm.requests.length === 1, 'the slow CRM finished the first PUT');
    crm.fault = 'none';
    await until(() => club.stats().queued === 0, 'the queue drained');
    expect(crm.created.get(enrolment().sub)).toBe(1);
    expect(crm.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 201', 'PUT 200']);
  });

  it('while a retry is pending, the next customer does not wait on the slow CRM', async () => {
    const club = await started({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
    crm.fault = 'slow';
    await club.enrol(enrolment());
    expect(crm.received).toHaveLength(1);
    const second = enrolment({ sub: 'c0ffee00-0000-4000-8000-000000000002', msisdn: '4711111111' });
    expect(await club.enrol(second)).toEqual({
      sub: second.sub,
      msisdn: '4711111111',
      since: second.enrolledAt,
    });
    // Answered without asking the CRM at all: the slow CRM never saw the second enrolment.
    expect(crm.received).toHaveLength(1);
    expect(club.stats().queued).toBe(2);
  });

  it('retries a 500 until the CRM accepts', async () => {
    const club = await started();
    crm.fault = 'error';
    await club.enrol(enrolment());
    await until(() => crm.requests.length >= 3, 'three attempts');
    crm.fault = 'none';
    await until(() => club.stats().queued === 0, 'the queue drained');
    expect(crm.created.get(enrolment().sub)).toBe(1);
  });

  it('the queue survives a restart of the adapter and is delivered by the next one', async () => {
    const first = await started();
    await crm.down();
    await first.enrol(enrolment({ claims: { name: 'Kari Nordmann' } }));
    await first.stop();
    const queue = new Database(join(dir, CRM_QUEUE_FILE), { readonly: true });
    expect(queue.prepare('SELECT sub, msisdn, attempts FROM enrolments').all()).toEqual([
      { sub: enrolment().sub, msisdn: '4712345678', attempts: 1 },
    ]);
    queue.close();

    await crm.start();
    const second = await started();
    await until(() => second.stats().queued === 0, 'the queue drained');
    expect(crm.created.get(enrolment().sub)).toBe(1);
    expect(crm.members.get(enrolment().sub)?.claims).toEqual({ name: 'Kari Nordmann' });
    // Delivered, the customer's name is nowhere in the queue file any more.
    expect(storedBytes(join(dir, CRM_QUEUE_FILE))).not.toContain('Kari Nordmann');
  });

  it('a permanent 4xx refusal of a queued enrolment drops it, counts it and says so', async () => {
    const club = await started();
    await crm.down();
    await club.enrol(enrolment());
    crm.fault = 'refuse';
    await crm.start();
    await until(() => club.stats().refused === 1, 'the refusal');
    expect(club.stats()).toEqual({ queued: 0, delivered: 0, refused: 1 });
    expect(log.join('\n')).toMatch(
      /ERROR .*refused an enrolment for good.* msisdn=47\*\*\*\*\*\*78 reason="HTTP 422: kiosk-enrolment-refused"/,
    );
    // What the CRM said about the customer in its refusal stays out of the log and the queue file.
    expect(log.join('\n')).not.toContain('Kari Nordmann');
    expect(storedBytes(join(dir, CRM_QUEUE_FILE))).not.toContain('Kari Nordmann');
    expect(await club.lookup('4712345678')).toBeNull();
  });

  it('an enrolment the CRM refuses at once is ClubUnavailableError (the customer pays at shelf prices)', async () => {
    const club = await started();
    crm.fault = 'refuse';
    await expect(club.enrol(enrolment())).rejects.toThrow(/The CRM refused to enrol the customer: HTTP 422/);
    expect(club.stats()).toEqual({ queued: 0, delivered: 0, refused: 1 });
  });

  it('forget removes an enrolment still waiting in the queue, so the CRM never gets it', async () => {
    const club = await started({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await crm.down();
    await club.enrol(enrolment({ claims: { name: 'Kari Nordmann' } }));
    await crm.start();
    expect(await club.forget('4712345678')).toBe(true);
    expect(club.stats().queued).toBe(0);
    expect(await club.lookup('4712345678')).toBeNull();
    expect(crm.requests.some((r) => r.method === 'PUT')).toBe(false);
    expect(storedBytes(join(dir, CRM_QUEUE_FILE))).not.toContain('Kari Nordmann');
  });

  it('forget while the CRM is down removes the queued enrolment and says the CRM was not reached', async () => {
    const club = await started({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await crm.down();
    await club.enrol(enrolment());
    await expect(club.forget('4712345678')).rejects.toThrow(
      /could not forget the member: ECONNREFUSED.*its enrolment that was still waiting for the CRM is deleted/,
    );
    expect(club.stats().queued).toBe(0);
  });

  it('a member forgotten (by another process) while their PUT was in flight is deleted at the CRM after it', async () => {
    const club = await started();
    const cli = await started();
    crm.fault = 'slow';
    crm.slowMethod = 'PUT';
    crm.slowMs = 150;
    const enrolling = club.enrol(enrolment());
    await until(() => crm.received.length === 1, 'the PUT reached the CRM');
    expect(await cli.forget('4712345678')).toBe(true);
    await enrolling;
    expect(crm.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'DELETE 404',
      'PUT 201',
      'DELETE 204',
    ]);
    expect(crm.members.size).toBe(0);
  });

  it('stop() ends the retry loop: nothing reaches the CRM afterwards', async () => {
    // The retry timer on a fake clock (the sockets stay real): the test moves time, nothing sleeps.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const club = await started();
      crm.fault = 'error';
      await club.enrol(enrolment());
      expect(crm.received).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(FAST_RETRY.maxMs);
      await until(() => crm.requests.length === 2, 'a retry');
      await club.stop();
      // stop() has waited out any write in flight, and no timer is left that could start another.
      expect(vi.getTimerCount()).toBe(0);
      expect(crm.received).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
