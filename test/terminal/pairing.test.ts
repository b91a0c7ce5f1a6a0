import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePairingCode } from '../../contracts/terminal-api.js';
import {
  TerminalClient,
  TerminalProblemError,
  TerminalUnreachableError,
} from '../../pos/client/terminal-client.js';
import { run } from '../support/cli-process.js';
import { sandboxConfigDir } from '../support/config-dir.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';

// `vipps-kiosk pos pair` as a store's tech runs it beside the running daemon, and the POS it pairs: TLS
// with the kiosk's own certificate, pinned by the fingerprint the pairing prints; the token shown once.

describe('pairing a POS with the terminal over TLS', () => {
  let kiosk: KioskUnderTest;
  let configDir: string;
  let code: { url: string; token: string; fingerprint: string | null; posId: string };

  beforeAll(async () => {
    kiosk = await new KioskUnderTest().start({
      env: { VK_MODE: 'attended', VK_TERMINAL__HOST: '0.0.0.0', VK_TERMINAL__PORT: '0' },
    });
    ({ dir: configDir } = await sandboxConfigDir(kiosk.sandbox, {
      mode: 'attended',
      stateDir: kiosk.stateDir,
    }));
    code = await pair();
  }, 60_000);
  afterAll(async () => {
    await kiosk.stop();
  });

  const terminalUrl = () => kiosk.kiosk.terminal!.url;

  async function pair(): Promise<{ url: string; token: string; fingerprint: string | null; posId: string }> {
    const result = await run([
      'pos',
      'pair',
      '--label',
      'Till 1',
      '--url',
      terminalUrl(),
      '--config-dir',
      configDir,
    ]);
    expect(result.code, result.output).toBe(0);
    const code = parsePairingCode(/^(vipps-kiosk-pos:pair\?\S+)$/m.exec(result.output)![1]!)!;
    const posId = /Paired (pos-[0-9a-f]+) \(Till 1\)/.exec(result.output)![1]!;
    return { ...code, posId };
  }

  it('prints the URL, the certificate to pin and the token; the POS pays through TLS with them', async () => {
    expect(terminalUrl()).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(code.fingerprint).toBe(kiosk.kiosk.terminal!.fingerprint);
    const pos = new TerminalClient({ ...code, fingerprint: code.fingerprint ?? undefined });
    try {
      const created = await pos.createPayment({
        posTransactionId: 'tls-1',
        amount: { value: 2490, currency: 'NOK' },
        lines: [{ id: 'MILK', name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
      });
      expect(created.status).toBe('waiting-for-customer');
      expect((await pos.abort('tls-1')).status).toBe('aborted');
    } finally {
      await pos.close();
    }
  });

  it('sends nothing to a server whose certificate is not the pinned one', async () => {
    const pos = new TerminalClient({ ...code, fingerprint: 'ab'.repeat(32) });
    try {
      await expect(pos.getPayment('tls-1')).rejects.toBeInstanceOf(TerminalUnreachableError);
    } finally {
      await pos.close();
    }
  });

  // Two processes of the CLI: a minute on a busy machine is a bound, not a measurement.
  it('lists the paired POS systems, and an unpaired one is refused (401)', { timeout: 60_000 }, async () => {
    const listed = await run(['pos', 'list', '--config-dir', configDir]);
    expect(listed.output).toContain(`${code.posId}  `);
    expect(listed.output).not.toContain(code.token);
    const pos = new TerminalClient({ ...code, fingerprint: code.fingerprint ?? undefined });
    try {
      expect((await pos.getPayment('tls-1')).status).toBe('aborted');
      const unpaired = await run(['pos', 'unpair', code.posId, '--config-dir', configDir]);
      expect(unpaired.code, unpaired.output).toBe(0);
      const refused = await pos.getPayment('tls-1').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TerminalProblemError);
      expect(refused).toMatchObject({ status: 401, code: 'unauthorized' });
    } finally {
      await pos.close();
    }
  });
});
