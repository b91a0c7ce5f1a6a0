import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CommandArgs,
  type CommandPayload,
  commandKeyId,
  newTransactionId,
  signCommand,
} from '../../contracts/hq-command.js';
import { COMMAND_KEYS_DIR } from '../../device/telemetry/command-keys.js';

/**
 * HQ's command key for a test: a fresh Ed25519 pair, its public half in a configuration directory's
 * `hq-command-keys/` folder (hand `keysDir` to the daemon, as `vipps-kiosk run` does with its config
 * dir), its private half in `keyFile` (for `vipps-kiosk hq command --key`), and `sign` to make commands.
 */
export class TestCommandKey {
  readonly kid: string;
  readonly keysDir: string;
  readonly keyFile: string;

  constructor(
    readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    configDir: string = mkdtempSync(join(tmpdir(), 'vk-hq-key-')),
  ) {
    this.kid = commandKeyId(publicKey);
    this.keysDir = join(configDir, COMMAND_KEYS_DIR);
    mkdirSync(this.keysDir, { recursive: true });
    writeFileSync(
      join(this.keysDir, `hq-command-${this.kid}.pub`),
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
    this.keyFile = join(configDir, `hq-command-${this.kid}.key`);
    writeFileSync(this.keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }

  static generate(configDir?: string): TestCommandKey {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return new TestCommandKey(privateKey, publicKey, configDir);
  }

  /** A signed command for `site/device` as it goes on the wire, and what was signed. */
  sign(
    target: string,
    name: string,
    args: CommandArgs = {},
    options: { transactionId?: string; ttlMs?: number; now?: number } = {},
  ): { text: string; payload: CommandPayload } {
    const [site = '', device = ''] = target.split('/');
    return signCommand(
      {
        name,
        site,
        device,
        transactionId: options.transactionId ?? newTransactionId(),
        args,
        ttlMs: options.ttlMs,
      },
      this.privateKey,
      options.now,
    );
  }
}
