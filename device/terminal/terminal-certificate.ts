import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { x509 } from '../../common/x509.js';
import { certificateFingerprint } from '../../contracts/enrolment.js';

// The terminal API's own TLS certificate: self-signed, made once (at the first `pos pair` or the first
// start in attended mode) and kept in the state directory. Nobody vouches for it but the pairing: the POS
// pins its SHA-256 fingerprint, which `pos pair` prints, so the kiosk's address may change (DHCP) freely.

export const TERMINAL_KEY_FILE = 'terminal-tls.key';
export const TERMINAL_CERT_FILE = 'terminal-tls.crt';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const YEARS = 20;
/** A clock a little behind the kiosk's must not find the certificate not yet valid. */
const BACKDATE_MS = 24 * 60 * 60_000;

export interface TerminalCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the certificate (DER), 64 lowercase hex digits: what the POS pins. */
  fingerprint: string;
}

/** The kiosk's certificate, made on first use (the key file 0600, never replaced). */
export async function terminalCertificate(stateDir: string, kioskId: string): Promise<TerminalCertificate> {
  const keyFile = join(stateDir, TERMINAL_KEY_FILE);
  const certFile = join(stateDir, TERMINAL_CERT_FILE);
  if (!existsSync(keyFile) || !existsSync(certFile)) await makeCertificate(keyFile, certFile, kioskId);
  const cert = await readFile(certFile, 'utf8');
  const key = await readFile(keyFile, 'utf8');
  return { key, cert, fingerprint: fingerprintOf(cert) };
}

export function fingerprintOf(certPem: string): string {
  return certificateFingerprint(new X509Certificate(certPem).fingerprint256)!;
}

async function makeCertificate(keyFile: string, certFile: string, kioskId: string): Promise<void> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + YEARS);
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=vipps-kiosk terminal ${kioskId.replace(/[^A-Za-z0-9._-]/g, '')}`,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter,
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  // The key first, 0600 as it is made; 'wx' never overwrites a pairing's certificate.
  await writeFile(keyFile, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), { mode: 0o600, flag: 'wx' });
  await writeFile(certFile, certificate.toString('pem'), { mode: 0o644, flag: 'wx' });
}
