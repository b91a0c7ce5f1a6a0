// The public entry, the clock and the CLI.

import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SandboxClock, startSandbox } from '../../sandbox/index.js';
import { within } from '../support/deadline.js';
import { waitFor } from '../telemetry/subscriber.js';
import { request } from './helpers.js';

describe('SandboxClock', () => {
  it('runs at real speed, jumps ahead, speeds up and freezes', () => {
    let real = 1_000;
    const clock = new SandboxClock(5_000_000, () => real);
    real += 10;
    expect(clock.now()).toBe(5_000_010);
    clock.advance(60_000);
    expect(clock.now()).toBe(5_060_010);
    clock.setSpeed(60);
    real += 1_000;
    expect(clock.now()).toBe(5_120_010);
    clock.setSpeed(0);
    real += 1_000_000;
    expect(clock.now()).toBe(5_120_010);
  });

  it('refuses to run backwards', () => {
    const clock = new SandboxClock();
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.setSpeed(-1)).toThrow(RangeError);
  });
});

describe('startSandbox', () => {
  it('listens on an ephemeral loopback port with fixed, obviously fake default credentials', async () => {
    const sandbox = await startSandbox();
    try {
      expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
      expect(sandbox.port).toBeGreaterThan(0);
      expect(sandbox.credentials).toEqual({
        clientId: 'sandbox-client-id',
        clientSecret: expect.stringContaining('sandbox'),
        subscriptionKey: expect.stringMatching(/^[0-9a-f]{32}$/),
        merchantSerialNumber: '123456',
      });
    } finally {
      await sandbox.close();
    }
  });

  it('takes other credentials and a shared clock', async () => {
    const clock = new SandboxClock();
    const sandbox = await startSandbox({
      credentials: { merchantSerialNumber: '7654321', clientId: 'kiosk' },
      clock,
    });
    try {
      expect(sandbox.clock).toBe(clock);
      expect(sandbox.credentials).toMatchObject({ merchantSerialNumber: '7654321', clientId: 'kiosk' });
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a merchant serial number Vipps would never issue', async () => {
    await expect(startSandbox({ credentials: { merchantSerialNumber: '12' } })).rejects.toThrow(RangeError);
  });

  it('closes at once, even with a keep-alive connection and a hanging request open', async () => {
    const sandbox = await startSandbox();
    await request(`${sandbox.url}/_sandbox/faults`, 'POST', {
      body: { rules: [{ hang: true, count: 1 }] },
      headers: { 'Content-Type': 'application/json' },
    });
    const hanging = new Promise<void>((resolve) => {
      const call = httpRequest(`${sandbox.url}/epayment/v1/payments/abcdefgh`, { agent: false });
      call.on('error', () => resolve());
      call.on('close', () => resolve());
      call.end();
    });
    // The one-shot hang rule is gone once the request has reached the sandbox and hangs there.
    await waitFor('the request to hang in the sandbox', async () => {
      const plan = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as { rules: unknown[] };
      return plan.rules.length === 0;
    });
    // Without closing its connections the server would wait on the hanging request for ever.
    await within(sandbox.close(), 5_000, 'the sandbox closing');
    await within(hanging, 5_000, 'the hanging request ending');
  });
});
