import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import {
  ENROL_PATH,
  type EnrolRefusal,
  type EnrolResponse,
  enrolRequestSchema,
} from '../../contracts/enrolment.js';
import { CsrRefused, type FleetCa, issueClientCertificate } from './fleet-ca.js';
import { type EnrolmentTokenStore, TokenRefused } from './token-store.js';

// HQ's enrolment service (`vipps-kiosk hq enrol-serve`): a kiosk being provisioned POSTs its one-time
// token and a CSR for its own new key; the answer is its client certificate from the fleet CA. HTTPS
// only; kiosks pin this service's certificate by the fingerprint in the signed enrolment code.

const MAX_BODY_BYTES = 16 * 1024;

const STATUS: Record<EnrolRefusal['error'], number> = {
  'bad-request': 400,
  'unknown-token': 403,
  'wrong-identity': 403,
  'used-token': 409,
  'expired-token': 410,
};

export interface EnrolServiceOptions {
  ca: FleetCa;
  tokens: EnrolmentTokenStore;
  /** The service's own certificate and key, PEM. */
  tls: { cert: string | Buffer; key: string | Buffer };
  /** PEM of the CA that signed the broker's certificate, handed to each kiosk; absent: system CAs. */
  brokerCa?: string | undefined;
  now?: () => Date;
  logger?: Logger;
}

export class EnrolService {
  private readonly server: Server;
  private readonly now: () => Date;
  private readonly logger: Logger;

  constructor(private readonly options: EnrolServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
    this.server = createServer({ ...options.tls, minVersion: 'TLSv1.2' }, (request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.logger.error('enrolment request failed', { error: (error as Error).message });
        if (!response.headersSent) send(response, 500, { error: 'server', message: 'HQ enrolment failed' });
      });
    });
  }

  /** Listens; resolves with the base URL (https://host:port). */
  async listen(port: number, host: string): Promise<string> {
    this.server.listen(port, host);
    await once(this.server, 'listening');
    const address = this.server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `https://${shownHost}:${address.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url !== ENROL_PATH || request.method !== 'POST') {
      send(response, 404, refusal('bad-request', `only POST ${ENROL_PATH} is served here`));
      return;
    }
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
      send(response, 415, refusal('bad-request', 'expected Content-Type: application/json'));
      return;
    }
    const body = await readBody(request);
    let parsed: unknown;
    try {
      parsed = body === undefined ? undefined : JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const enrol = enrolRequestSchema.safeParse(parsed);
    if (!enrol.success) {
      send(response, 400, refusal('bad-request', 'expected {"token": ..., "csr": PEM} of at most 16 KiB'));
      return;
    }
    const { token, csr } = enrol.data;
    const from = request.socket.remoteAddress;
    try {
      const clientId = this.options.tokens.clientIdOf(token, this.now());
      const certificate = await issueClientCertificate(this.options.ca, csr, clientId, this.now());
      // Handed out only if this request spent the token: of two racing requests, one gets a certificate.
      if (!this.options.tokens.spend(token, certificate.serialNumber, this.now())) {
        this.options.tokens.clientIdOf(token, this.now());
        throw new TokenRefused('used-token', 'this enrolment code was used meanwhile; ask HQ for a new code');
      }
      this.logger.info('kiosk enrolled', { clientId, serial: certificate.serialNumber, from });
      const answer: EnrolResponse = {
        certificate: certificate.toString('pem'),
        ...(this.options.brokerCa ? { brokerCa: this.options.brokerCa } : {}),
      };
      send(response, 200, answer);
    } catch (error) {
      if (!(error instanceof TokenRefused) && !(error instanceof CsrRefused)) throw error;
      this.logger.warn('enrolment refused', { reason: error.kind, from });
      send(response, STATUS[error.kind], refusal(error.kind, error.message));
    }
  }
}

function refusal(error: EnrolRefusal['error'], message: string): EnrolRefusal {
  return { error, message };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** The body as text, or undefined when it is larger than a CSR and a token can be. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
