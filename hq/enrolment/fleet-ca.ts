import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { x509 } from '../../common/x509.js';

// HQ's fleet CA: it signs one client certificate per kiosk, whose CN is the kiosk's MQTT client id
// (`vk-{site}-{device}`); the broker trusts this CA for clients (Mosquitto: cafile, require_certificate,
// use_identity_as_username), so the certificate is the kiosk's broker login and the CN its username.
//
// ECDSA P-256 with SHA-256: what OpenSSL (Mosquitto), node's TLS and webcrypto all take for client
// certificates in TLS 1.2 and 1.3 alike (Ed25519 certificates are refused by TLS 1.2 peers).

export const CA_KEY_FILE = 'fleet-ca.key';
export const CA_CERT_FILE = 'fleet-ca.crt';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const CA_YEARS = 10;
export const CLIENT_CERT_DAYS = 365;
/** Certificates start a little in the past: a kiosk whose clock is slightly behind still takes its own. */
const BACKDATE_MS = 5 * 60_000;

export interface FleetCa {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

/** A refused CSR; the message is the service's answer to the kiosk. */
export class CsrRefused extends Error {
  override readonly name = 'CsrRefused';
  constructor(
    readonly kind: 'bad-request' | 'wrong-identity',
    message: string,
  ) {
    super(message);
  }
}

/** Makes DIR/fleet-ca.key (0600) and DIR/fleet-ca.crt; refuses to replace a CA (every kiosk trusts it). */
export async function createFleetCa(dir: string, now: Date): Promise<{ keyFile: string; certFile: string }> {
  const keyFile = join(dir, CA_KEY_FILE);
  const certFile = join(dir, CA_CERT_FILE);
  if (existsSync(keyFile)) {
    throw new Error(`${keyFile} exists; a new CA would orphan every kiosk certificate it signed`);
  }
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=vipps-kiosk fleet CA',
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  // 'wx': never over an existing file, and the mode is set as the file is made, before the key is in it.
  await writeFile(keyFile, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), { mode: 0o600, flag: 'wx' });
  await writeFile(certFile, certificate.toString('pem'), { mode: 0o644, flag: 'wx' });
  return { keyFile, certFile };
}

export async function loadFleetCa(dir: string): Promise<FleetCa> {
  const certificate = new x509.X509Certificate(await readFile(join(dir, CA_CERT_FILE), 'utf8'));
  const pem = await readFile(join(dir, CA_KEY_FILE), 'utf8');
  const privateKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(pem),
    ALGORITHM,
    false,
    ['sign'],
  );
  return { certificate, privateKey };
}

/**
 * Checks a CSR (PEM or base64 DER): its own signature (the requester holds the key), a P-256 key, and a
 * subject that is exactly `CN=<clientId>`; then signs a client certificate for that id only.
 */
export async function issueClientCertificate(
  ca: FleetCa,
  csrText: string,
  clientId: string,
  now: Date,
): Promise<x509.X509Certificate> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrText.trim());
  } catch {
    throw new CsrRefused('bad-request', 'the certificate signing request is not a PKCS#10 CSR (PEM or DER)');
  }
  if (!(await csr.verify().catch(() => false))) {
    throw new CsrRefused('bad-request', 'the certificate signing request is not signed by its own key');
  }
  const key = csr.publicKey.algorithm as EcKeyAlgorithm;
  if (key.name !== 'ECDSA' || key.namedCurve !== 'P-256') {
    throw new CsrRefused('bad-request', 'the certificate signing request must be for an ECDSA P-256 key');
  }
  if (csr.subject !== `CN=${clientId}`) {
    throw new CsrRefused(
      'wrong-identity',
      `this code enrols "${clientId}", but the certificate signing request asks for "${csr.subject}"`,
    );
  }
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${clientId}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CLIENT_CERT_DAYS * 86_400_000),
    signingAlgorithm: SIGNING,
    publicKey: csr.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
}

/** 16 random bytes, high bit clear: a positive serial number as RFC 5280 asks. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
}
