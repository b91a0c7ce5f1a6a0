import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTlsFiles } from '../../common/mqtt/link.js';

// Issue 15, finding 2 (its client-certificate part): the daemon and the self-test built their TLS
// options only when telemetry.caFile was set, so a client certificate configured without a CA file
// (a broker with a public certificate, verified by the system's CAs) was silently dropped and the
// kiosk connected without its identity. readTlsFiles is what both now use.

describe('TLS files for the broker link', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-tls-files-'));
    await writeFile(join(dir, 'client.pem'), 'CERT');
    await writeFile(join(dir, 'client.key'), 'KEY');
    await writeFile(join(dir, 'ca.pem'), 'CA');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a client certificate configured without a CA file (system CAs verify the broker)', () => {
    const tls = readTlsFiles({ certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client.key') });
    expect(tls).toEqual({ cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
  });

  it('reads all three when all are configured, and gives nothing when none is', () => {
    expect(
      readTlsFiles({
        caFile: join(dir, 'ca.pem'),
        certFile: join(dir, 'client.pem'),
        keyFile: join(dir, 'client.key'),
      }),
    ).toEqual({ ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
    expect(readTlsFiles({})).toBeUndefined();
  });

  it('a configured file that is missing is an error that names it, not a silent plain login', () => {
    expect(() => readTlsFiles({ certFile: join(dir, 'gone.pem') })).toThrow(/gone\.pem/);
  });
});
