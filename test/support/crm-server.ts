import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

// A merchant CRM as device/club/README.md describes it, strict the way a real one would be: the token,
// the paths, the content type and the JSON shapes are checked, and anything else is a 4xx.

export const CRM_TOKEN = 'crm-token-for-tests';
export const CRM_BASE_PATH = '/club/v1';

const MSISDN = /^\d{10,15}$/;
const isoTime = z.iso.datetime({ offset: true });
const enrolmentBody = z.strictObject({
  msisdn: z.string().regex(MSISDN),
  claims: z.record(z.string(), z.unknown()).refine((claims) => !('sub' in claims), 'sub belongs in the path'),
  consents: z
    .strictObject({
      language: z.string().min(1),
      timeOfConsent: z.string().min(1),
      answers: z.array(
        z.strictObject({
          id: z.string().min(1),
          accepted: z.boolean(),
          required: z.boolean(),
          textDisplayedToUser: z.string(),
        }),
      ),
    })
    .nullable(),
  consentedAt: isoTime,
  enrolledAt: isoTime,
  kioskId: z.string().min(1),
});

export type CrmEnrolment = z.infer<typeof enrolmentBody>;

export interface CrmMember extends CrmEnrolment {
  sub: string;
}

/**
 * How the CRM misbehaves from now on: `error` answers 500, `slow` answers (and does the work) only after
 * `slowMs`, `garbage` answers 200 with an HTML page, `refuse` answers enrolments 422.
 */
export type CrmFault = 'none' | 'error' | 'slow' | 'garbage' | 'refuse';

export interface CrmRequest {
  method: string;
  path: string;
  status: number;
}

export class CrmServer {
  readonly members = new Map<string, CrmMember>();
  readonly requests: CrmRequest[] = [];
  /** Members created, by sub: a second PUT of the same sub must not count again. */
  readonly created = new Map<string, number>();
  /** Requests as they arrive, before any answer (`requests` has them as answered). */
  readonly received: string[] = [];
  fault: CrmFault = 'none';
  slowMs = 1_000;
  /** With `slow`: only this method is slow, the others answer at once. */
  slowMethod: string | undefined;
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}${CRM_BASE_PATH}`;
  }

  /** Listens on loopback; after `down()`, on the same port again. */
  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this.url;
  }

  /** Stops listening: connections are refused, as with a CRM that is down. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async stop(): Promise<void> {
    await this.down();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push(`${req.method} ${req.url}`);
      const slow = this.fault === 'slow' && (this.slowMethod === undefined || this.slowMethod === req.method);
      const fault = this.fault === 'slow' && !slow ? 'none' : this.fault;
      const answer = () => {
        const [status, body] = this.route(req, Buffer.concat(chunks).toString('utf8'), fault);
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', status });
        if (fault === 'garbage') {
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<html><body>Service Unavailable</body></html>');
          return;
        }
        res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (slow) setTimeout(answer, this.slowMs);
      else answer();
    });
  }

  private route(req: IncomingMessage, text: string, fault: CrmFault): [number, unknown?] {
    if (req.headers.authorization !== `Bearer ${CRM_TOKEN}`)
      return problem(401, 'bearer token missing or wrong');
    if (fault === 'error') return problem(500, 'database is down');
    if (fault === 'garbage') return [200];
    const url = new URL(req.url ?? '/', 'http://crm');
    if (!url.pathname.startsWith(`${CRM_BASE_PATH}/`)) return problem(404, 'no such resource');
    const path = url.pathname.slice(CRM_BASE_PATH.length);
    if (path === '/members') {
      const msisdn = url.searchParams.get('msisdn');
      if (msisdn === null || !MSISDN.test(msisdn) || [...url.searchParams.keys()].length !== 1) {
        return problem(400, 'expected ?msisdn= with 10–15 digits');
      }
      const member = [...this.members.values()].find((m) => m.msisdn === msisdn);
      if (req.method === 'GET') return member ? [200, memberJson(member)] : problem(404, 'not a member');
      if (req.method === 'DELETE') {
        if (!member) return problem(404, 'not a member');
        this.members.delete(member.sub);
        return [204];
      }
      return problem(405, 'GET or DELETE');
    }
    const sub = /^\/members\/([^/]+)$/.exec(path)?.[1];
    if (sub === undefined) return problem(404, 'no such resource');
    if (req.method !== 'PUT') return problem(405, 'PUT');
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return problem(415, 'expected application/json');
    }
    // As a real CRM might: the refusal repeats who it was about; the kiosk must log only the code.
    if (fault === 'refuse')
      return [422, { error: 'kiosk-enrolment-refused', detail: 'Kari Nordmann cannot join from a kiosk' }];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return problem(400, 'not JSON');
    }
    const parsed = enrolmentBody.safeParse(json);
    if (!parsed.success)
      return problem(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return this.enrol(decodeURIComponent(sub), parsed.data);
  }

  /** The same rules as the SQLite adapter: idempotent per sub, a new number moves, a number moves to a new sub. */
  private enrol(sub: string, enrolment: CrmEnrolment): [number, unknown] {
    const existing = this.members.get(sub);
    if (existing?.msisdn === enrolment.msisdn) return [200, memberJson(existing)];
    for (const other of this.members.values()) {
      if (other.msisdn === enrolment.msisdn && other.sub !== sub) this.members.delete(other.sub);
    }
    const member: CrmMember = existing
      ? { ...enrolment, sub, enrolledAt: existing.enrolledAt, kioskId: existing.kioskId }
      : { ...enrolment, sub };
    this.members.set(sub, member);
    if (existing) return [200, memberJson(member)];
    this.created.set(sub, (this.created.get(sub) ?? 0) + 1);
    return [201, memberJson(member)];
  }
}

function memberJson(member: CrmMember): Record<string, unknown> {
  return { sub: member.sub, msisdn: member.msisdn, since: member.enrolledAt };
}

function problem(status: number, detail: string): [number, unknown] {
  return [status, { status, title: 'CRM refused the request', detail }];
}
