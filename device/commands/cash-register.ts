import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { ConfigError } from '../../common/config-error.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../cash-register/journal-store.js';
import { signingKeyFrom } from '../cash-register/open-cash-register.js';
import { verifyJournal } from '../cash-register/verify.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';

export const cashRegisterUsage = `vipps-kiosk cash-register public-key|verify [--config-dir DIR] [--state-dir DIR]
       vipps-kiosk cash-register verify --public-key FILE --state-dir DIR
  public-key  print the public key (PEM) of the signing key and its key version, for the declaration
  verify      walk the cash-register journal: row numbers, the hash chain, every sale's signature;
              exit 1 naming each row that breaks it
  --public-key  verify with the declared public key (PEM) alone, no configuration or secrets: for an
                auditor with a copy of the journal (cash-register.sqlite) in DIR
  --config-dir  the kiosk's configuration (default ${DEFAULT_CONFIG_DIR}); a demo prints its own
  --state-dir   the kiosk's state directory (default: stateDir of that configuration)`;

/** The errors a broken journal reports: exit code 1, after the rows were listed. */
export class JournalBrokenError extends Error {
  override readonly name = 'JournalBrokenError';
}

export const STATE_OPTIONS = {
  'config-dir': { type: 'string' },
  'state-dir': { type: 'string' },
} as const;

/**
 * The installed kiosk's settings by default, another's (a demo's) with --config-dir, its state read from
 * --state-dir when given; the kiosk must be configured as a cash register.
 */
export async function cashRegisterSettings(values: {
  'config-dir'?: string;
  'state-dir'?: string;
}): Promise<Settings & { cashRegister: NonNullable<Settings['cashRegister']> }> {
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const settings = await loadSettings({
    configPath: join(dir, 'config.json'),
    secretsPath: join(dir, 'secrets.json'),
  });
  const { cashRegister } = settings;
  if (!cashRegister) {
    throw new ConfigError([
      `${join(dir, 'config.json')}: cashRegister is not configured, so this kiosk keeps no cash-register ` +
        'journal; run `vipps-kiosk provision` to set it up',
    ]);
  }
  return { ...settings, cashRegister, stateDir: values['state-dir'] ?? settings.stateDir };
}

export async function cashRegisterCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...STATE_OPTIONS,
    'public-key': { type: 'string' },
  });
  const publicKeyFile = values['public-key'];
  if (publicKeyFile !== undefined) {
    if (positionals[0] !== 'verify') throw new UsageError('--public-key goes with verify');
    const stateDir = values['state-dir'];
    if (stateDir === undefined) {
      throw new UsageError('--public-key needs --state-dir: the folder that holds cash-register.sqlite');
    }
    const pem = await readFile(publicKeyFile, 'utf8').catch((error: Error) => {
      throw new UsageError(`cannot read the public key ${publicKeyFile}: ${error.message}`);
    });
    verify(join(stateDir, CASH_REGISTER_FILE), (store) => declaredKey(store, pem, publicKeyFile));
    return;
  }
  const settings = await cashRegisterSettings(values);
  switch (positionals[0]) {
    case 'public-key': {
      const key = signingKeyFrom(settings);
      process.stdout.write(`Key version ${key.version} (RSA 1024-bit, SHA-1, e 65537)\n${key.publicKeyPem}`);
      return;
    }
    case 'verify': {
      const key = signingKeyFrom(settings);
      verify(join(settings.stateDir, CASH_REGISTER_FILE), () => new Map([[key.version, key.publicKeyPem]]));
      return;
    }
    default:
      throw new UsageError(`unknown cash-register action "${positionals[0] ?? ''}"`);
  }
}

/**
 * The version the journal gave the declared public key: it must be one the journal took into use
 * (`signing.key` rows); the journaled keys of other versions verify their own sales.
 */
function declaredKey(store: CashRegisterStore, pem: string, file: string): Map<number, string> {
  const declared = normalisedPem(pem);
  const journaled = store
    .ofKind('signing.key')
    .map((row) => JSON.parse(row.data) as { version: number; publicKey: string })
    .find((k) => normalisedPem(k.publicKey) === declared);
  if (!journaled) {
    throw new JournalBrokenError(
      `${file} is not a public key this journal took into use (no signing.key row holds it): the journal ` +
        'was signed with another key, or the file is not the declared key',
    );
  }
  return new Map([[journaled.version, pem]]);
}

function normalisedPem(pem: string): string {
  return pem.replace(/\s+/g, '');
}

/** Walks the journal at `path` with the keys given; exit 1 naming each row that breaks it. */
function verify(path: string, keysOf: (store: CashRegisterStore) => ReadonlyMap<number, string>): void {
  const store = CashRegisterStore.openExisting(path);
  try {
    const verdict = verifyJournal(store.all(), { publicKeys: keysOf(store) });
    if (verdict.breaks.length === 0) {
      process.stdout.write(
        `${path}: ${verdict.rows} rows, ${verdict.transactions} signed sales: the chain and every signature hold.\n`,
      );
      return;
    }
    for (const b of verdict.breaks) process.stdout.write(`row ${b.nr} (${b.kind}): ${b.problem}\n`);
    throw new JournalBrokenError(
      `${path} is broken at row ${verdict.breaks[0]!.nr} (${verdict.breaks.length} problem(s) listed above); ` +
        'keep the file as it is and tell your supplier',
    );
  } finally {
    store.close();
  }
}
