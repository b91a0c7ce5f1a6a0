import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../common/log/logger.js';
import { COMMAND_CLOCK_SKEW_MS, verifyCommand } from '../../contracts/hq-command.js';
import { commandKeysIn } from '../../device/telemetry/command-keys.js';
import { CommandNonces } from '../../device/telemetry/command-nonces.js';
import { TestCommandKey } from '../support/hq-command-key.js';

// The kiosk's trust in HQ's command keys, and its memory of commands, below the MQTT link.

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger & { warnings: string[] } = {
    warnings,
    debug: () => {},
    info: () => {},
    warn: (message) => warnings.push(message),
    error: () => {},
    child: () => logger,
  };
  return logger;
}

describe('HQ command keys in the configuration directory', () => {
  it('rotates without a restart: add the new key, sign with it, remove the old one', () => {
    const configDir = mkdtempSync(join(tmpdir(), 'vk-keys-'));
    const old = TestCommandKey.generate(configDir);
    const logger = recordingLogger();
    const check = (text: string) =>
      verifyCommand(text, {
        name: 'identify',
        site: 'oslo-1',
        device: 'kiosk-07',
        keys: () => commandKeysIn(old.keysDir, logger),
        now: Date.now(),
      });
    const byOld = old.sign('oslo-1/kiosk-07', 'identify').text;
    expect(check(byOld)).toMatchObject({ ok: true });

    const next = TestCommandKey.generate(configDir); // its .pub lands in the same folder
    const byNext = next.sign('oslo-1/kiosk-07', 'identify').text;
    expect(check(byOld)).toMatchObject({ ok: true });
    expect(check(byNext)).toMatchObject({ ok: true });

    rmSync(join(old.keysDir, `hq-command-${old.kid}.pub`));
    expect(check(byOld)).toMatchObject({ ok: false, refusal: 'unknown-key', kid: old.kid });
    expect(check(byNext)).toMatchObject({ ok: true });
    expect(logger.warnings).toEqual([]);
  });

  it('skips (and logs) a file that is not an Ed25519 public key; no folder is no key', () => {
    const key = TestCommandKey.generate();
    writeFileSync(join(key.keysDir, 'notes.pub'), 'not a key');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(key.keysDir, 'rsa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(key.keysDir, 'README'), 'ignored: not a .pub');
    const logger = recordingLogger();
    expect([...commandKeysIn(key.keysDir, logger).keys()]).toEqual([key.kid]);
    expect(logger.warnings).toHaveLength(2);
    expect(commandKeysIn(join(key.keysDir, 'missing'), logger).size).toBe(0);
    expect(commandKeysIn(undefined, logger).size).toBe(0);
    const text = key.sign('oslo-1/kiosk-07', 'identify').text;
    expect(
      verifyCommand(text, {
        name: 'identify',
        site: 'oslo-1',
        device: 'kiosk-07',
        keys: () => new Map(),
        now: Date.now(),
      }),
    ).toMatchObject({ ok: false, refusal: 'no-keys' });
  });
});

describe('the memory of HQ commands', () => {
  it('refuses a nonce or a transaction id seen before, and forgets commands once they can no longer run', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vk-nonces-')), 'nonces.sqlite');
    const t0 = Date.parse('2026-11-23T14:00:00.000Z');
    let nonces = CommandNonces.open(path);
    expect(nonces.firstSight('nonce-a', 'hq-a', t0 + 60_000, t0)).toBe(true);
    expect(nonces.firstSight('nonce-a', 'hq-b', t0 + 60_000, t0)).toBe(false);
    expect(nonces.firstSight('nonce-b', 'hq-a', t0 + 60_000, t0)).toBe(false);
    nonces.stop();

    nonces = CommandNonces.open(path); // a restart
    expect(nonces.firstSight('nonce-a', 'hq-a', t0 + 60_000, t0 + 30_000)).toBe(false);
    expect(nonces.size()).toBe(1);
    // Past its expiry by more than the clock-skew allowance, it is refused as expired anyway: forgotten.
    const later = t0 + 60_000 + COMMAND_CLOCK_SKEW_MS + 1;
    expect(nonces.firstSight('nonce-c', 'hq-c', later + 60_000, later)).toBe(true);
    expect(nonces.size()).toBe(1);
    nonces.stop();
  });
});
