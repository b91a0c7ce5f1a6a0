import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { applyEnvOverrides } from '../../device/config/env-overrides.js';
import { DEFAULT_CONFIG_DIR } from '../../device/config/load.js';
import { cashRegisterStep } from '../cash-register-step.js';
import { groupId } from '../config-files.js';
import { type Draft, setAt } from '../draft.js';
import { hardwareStep, KIOSK_HARDWARE } from '../hardware-step.js';
import { ConsolePrompter } from '../prompter.js';
import { ProvisionError, provision } from '../provision.js';
import { lendScannerKeyboards } from '../scanner-keyboard.js';
import { PROVISION_STEPS } from '../steps.js';

const steps = (rotateKey: boolean) => [
  ...PROVISION_STEPS,
  cashRegisterStep({ rotateKey }),
  hardwareStep(KIOSK_HARDWARE),
];
const FIELD_FLAGS = steps(false)
  .flatMap((step) => step.fields)
  .filter((f) => f.flag !== undefined);

export const provisionUsage = `vipps-kiosk provision [--config-dir DIR] [--non-interactive] [--from FILE] [--enrol CODE]
                      [--enrol-key FILE] [--allow-unverified] [--group NAME] [--rotate-signing-key]
                      [--KEY VALUE ...]
  Sets this kiosk up: site and device, Vipps keys, HQ broker, catalog, scanner and LEDs. Asks on the console (Enter keeps
  what is there; scan HQ's enrolment QR at the first question to fill in site, device and broker: the
  kiosk makes its key and gets its client certificate from HQ's enrolment service, once per code), checks
  each part (a Vipps access token, a login to the broker, the catalog, the scanner on the USB bus, each
  LED lit in turn while the tech watches), writes config.json (0644) and
  secrets.json (0640, root:GROUP, default group kiosk) in DIR (default /etc/vipps-kiosk) atomically,
  only if something changed, and prints a summary. Nothing is written when a check fails, unless
  --allow-unverified. --non-interactive takes every answer from --from FILE (config.json's shape, with
  the secrets under "secrets"), the flags and VK_* variables (secrets: VK_SECRETS__VIPPS__CLIENT_SECRET
  and the like, never flags). --enrol-key is HQ's public key (default DIR/hq-enrol.pub).
  Flags: ${FIELD_FLAGS.map((f) => `--${f.flag}`).join(' ')}`;

export async function provisionCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    'config-dir': { type: 'string' },
    'non-interactive': { type: 'boolean' },
    from: { type: 'string' },
    enrol: { type: 'string' },
    'enrol-key': { type: 'string' },
    'allow-unverified': { type: 'boolean' },
    group: { type: 'string' },
    'rotate-signing-key': { type: 'boolean' },
    ...Object.fromEntries(FIELD_FLAGS.map((f) => [f.flag!, { type: 'string' as const }])),
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const configDir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const flags = values as Record<string, string | boolean | undefined>;

  const given = givenAnswers(values.from, process.env);
  for (const field of FIELD_FLAGS) {
    const value = flags[field.flag!];
    if (typeof value === 'string') setAt(given, field.path, value);
  }
  const prompter = values['non-interactive'] ? undefined : new ConsolePrompter(process.stdin, process.stdout);
  // The scanner types HQ's enrolment code at the prompt; udev keeps it from the console otherwise.
  const giveBackScanner = prompter ? lendScannerKeyboards() : () => {};
  try {
    await provision({
      configDir,
      prompter,
      given,
      enrolmentCode: values.enrol,
      hqKey: hqKey(values['enrol-key'] ?? join(configDir, 'hq-enrol.pub'), values['enrol-key'] !== undefined),
      allowUnverified: values['allow-unverified'] === true,
      gid: ownerGroup(values.group ?? 'kiosk'),
      steps: steps(values['rotate-signing-key'] === true),
      now: () => new Date(),
      write: (text) => process.stdout.write(text),
    });
  } catch (error) {
    // A refusal is the tech's to fix, told in full above; an exit code of 1 without a stack.
    if (error instanceof ProvisionError) throw new Error(error.message);
    throw error;
  } finally {
    prompter?.close();
    giveBackScanner();
  }
}

/** --from FILE, then VK_* variables over it (the same names the daemon reads). */
function givenAnswers(file: string | undefined, env: NodeJS.ProcessEnv): Draft {
  let fromFile: Draft = {};
  if (file !== undefined) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(
        `--from ${file} must hold one JSON object shaped like config.json (secrets under "secrets")`,
      );
    }
    fromFile = parsed as Draft;
  }
  const { merged, problems } = applyEnvOverrides(fromFile, env);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return merged;
}

function hqKey(path: string, required: boolean): KeyObject | undefined {
  if (!existsSync(path)) {
    if (required) throw new UsageError(`--enrol-key ${path}: no such file`);
    return undefined;
  }
  return createPublicKey(readFileSync(path));
}

/** As root, the files go to root:GROUP so the daemon reads them; otherwise ownership is left alone. */
function ownerGroup(name: string): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const gid = groupId(name);
  if (gid === undefined) {
    process.stderr.write(`warning: no group "${name}" (install.sh creates it); the files stay root's only\n`);
  }
  return gid;
}
