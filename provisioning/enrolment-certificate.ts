import { webcrypto } from 'node:crypto';
import { request } from 'node:http';
import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { x509 } from '../common/x509.js';
import {
  certificateFingerprint,
  ENROL_PATH,
  type Enrolment,
  EnrolmentError,
  enrolRefusalSchema,
  enrolResponseSchema,
} from '../contracts/enrolment.js';
import { clientIdFor } from '../contracts/topics.js';
import { type WriteOptions, writeTlsFile } from './config-files.js';

// The kiosk's half of enrolment: a new ECDSA P-256 key made here (it never leaves the kiosk), a CSR
// for the kiosk's client id, and the one-time token of the scanned code, sent to HQ's enrolment
// service over TLS pinned to the certificate fingerprint in the signed code; the answer is the
// kiosk's client certificate, its broker login from then on.

const REQUEST_TIMEOUT_MS = 10_000;

/** Where the kiosk's broker identity is written under the configuration directory. */
export const ENROLLED_FILES = { keyFile: 'client.key', certFile: 'client.pem', caFile: 'ca.pem' } as const;

export interface EnrolledTls {
  keyFile: string;
  certFile: string;
  /** The CA of the broker's certificate; undefined: the system's CAs verify the broker. */
  caFile: string | undefined;
}

/** Asks HQ for this kiosk's client certificate and writes key, certificate and broker CA to DIR/tls. */
export async function enrolCertificate(
  enrolment: Enrolment,
  configDir: string,
  options: WriteOptions,
): Promise<EnrolledTls> {
  const clientId = clientIdFor(enrolment.site, enrolment.deviceId);
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${clientId}`,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  const { status, body } = await pinnedPost(
    enrolment,
    JSON.stringify({ token: enrolment.token, csr: csr.toString('pem') }),
  );
  if (status !== 200) {
    const refusal = enrolRefusalSchema.safeParse(parseJson(body));
    throw new EnrolmentError(
      refusal.success
        ? `HQ's enrolment service refused the code: ${refusal.data.message}`
        : `HQ's enrolment service at ${enrolment.serviceUrl} answered ${status}; try again, or ask HQ`,
    );
  }
  const answer = enrolResponseSchema.safeParse(parseJson(body));
  if (!answer.success) {
    throw new EnrolmentError(`HQ's enrolment service answered something else than a certificate; ask HQ`);
  }
  const certificate = new x509.X509Certificate(answer.data.certificate);
  const ours = await new x509.PublicKey(
    await webcrypto.subtle.exportKey('spki', keys.publicKey),
  ).getThumbprint();
  if (
    certificate.subject !== `CN=${clientId}` ||
    Buffer.compare(Buffer.from(await certificate.publicKey.getThumbprint()), Buffer.from(ours)) !== 0
  ) {
    throw new EnrolmentError(`HQ's enrolment service sent a certificate for another identity or key; ask HQ`);
  }
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const key = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return {
    // The key is read by the daemon only, through its group like secrets.json; 0600 without a group.
    keyFile: await writeTlsFile(
      configDir,
      ENROLLED_FILES.keyFile,
      key,
      options.gid === undefined ? 0o600 : 0o640,
      options,
    ),
    certFile: await writeTlsFile(
      configDir,
      ENROLLED_FILES.certFile,
      certificate.toString('pem'),
      0o640,
      options,
    ),
    caFile: answer.data.brokerCa
      ? await writeTlsFile(configDir, ENROLLED_FILES.caFile, answer.data.brokerCa, 0o640, options)
      : undefined,
  };
}

/**
 * POST to the enrolment service over a TLS connection whose peer certificate is checked against the
 * code's fingerprint before a byte of the request (the token) is sent. The certificate is pinned, not
 * validated against CAs: HQ's signature on the code is what vouches for it.
 */
async function pinnedPost(enrolment: Enrolment, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(ENROL_PATH, enrolment.serviceUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const tls = connect({
      host,
      port: Number(url.port || 443),
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      timeout: REQUEST_TIMEOUT_MS,
    });
    tls.once('timeout', () => tls.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    tls.once('error', (error) =>
      reject(
        new EnrolmentError(
          `cannot reach HQ's enrolment service at ${enrolment.serviceUrl}: ${error.message}`,
        ),
      ),
    );
    tls.once('secureConnect', () => {
      const seen = certificateFingerprint(tls.getPeerCertificate().fingerprint256 ?? '');
      if (seen !== enrolment.serviceFingerprint) {
        tls.destroy();
        reject(
          new EnrolmentError(
            `the server at ${enrolment.serviceUrl} is not the enrolment service HQ's code names (its certificate ` +
              'differs); nothing was sent. Check the network (a proxy in between?) or ask HQ for a new code',
          ),
        );
        return;
      }
      resolve(tls);
    });
  });
  return new Promise((resolve, reject) => {
    const post = request(
      {
        createConnection: () => socket,
        method: 'POST',
        path: url.pathname,
        headers: {
          host: url.host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          socket.destroy();
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    post.once('error', (error) => {
      socket.destroy();
      reject(
        new EnrolmentError(`HQ's enrolment service at ${enrolment.serviceUrl} failed: ${error.message}`),
      );
    });
    post.end(body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
