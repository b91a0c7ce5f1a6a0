import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../common/config-error.js';
import { type Enrolment, EnrolmentError, readEnrolment } from '../contracts/enrolment.js';
import { clientIdFor } from '../contracts/topics.js';
import { envName } from '../device/config/env-overrides.js';
import { parseSettings } from '../device/config/load.js';
import type { CheckResult } from '../device/system/system-checks.js';
import { adoptTlsFile, CONFIG_FILE, readConfigPair, SECRETS_FILE, writeConfigPair } from './config-files.js';
import { type Draft, draftOf, merged, pairOf, problemWith, setAt, valueAt } from './draft.js';
import { ENROLLED_FILES, type EnrolledTls, enrolCertificate } from './enrolment-certificate.js';
import type { Prompter } from './prompter.js';
import type { Field, Step } from './steps.js';
import { formatTable } from './table.js';

export interface ProvisionOptions {
  configDir: string;
  /** Given: ask on the console. Absent: take everything from `given` and fail on what is missing. */
  prompter: Prompter | undefined;
  /** Answers from a file, flags and VK_SECRETS__* variables; defaults for the prompts. */
  given: Draft;
  /** An enrolment code given up front (a flag); interactively, the first prompt asks for one. */
  enrolmentCode: string | undefined;
  /** HQ's public key; without it, enrolment codes are refused. */
  hqKey: KeyObject | undefined;
  /** Write even when a check failed (a broker not reachable from the store yet, say). */
  allowUnverified: boolean;
  /** Group that reads the files; undefined leaves ownership alone (not root). */
  gid: number | undefined;
  steps: readonly Step[];
  now: () => Date;
  write: (text: string) => void;
}

/** Provisioning stopped; nothing was written. The message says why. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

type Change = 'new' | 'changed' | 'same' | 'removed';

/** Asks or takes the answers, verifies them, writes what changed, and prints the summary. */
export async function provision(options: ProvisionOptions): Promise<void> {
  const { write } = options;
  const before = draftOf(await readConfigPair(options.configDir));
  const draft = merged(before, options.given);
  write(
    before.device === undefined
      ? `Provisioning a new kiosk in ${options.configDir}\n`
      : `Provisioning ${options.configDir} again: Enter keeps what is there\n`,
  );

  const settled = await takeEnrolment(draft, options);
  const checks = options.prompter
    ? await askAndVerify(options.prompter, draft, settled, options)
    : await takeAndVerify(draft, options);
  validateWhole(draft, options.configDir);

  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0 && !options.allowUnverified) {
    write(summary(options, before, draft, checks));
    throw new ProvisionError(
      `not written: ${failed.map((c) => c.name).join(', ')} failed (see above). Fix and run provision again, or ` +
        'add --allow-unverified to save anyway',
    );
  }
  await adoptTlsFiles(draft, options);
  const written = await writeConfigPair(options.configDir, pairOf(draft), { gid: options.gid });
  write(summary(options, before, draft, checks, written));
}

/** TLS files the daemon must read go under the configuration directory (it cannot see /home). */
async function adoptTlsFiles(draft: Draft, options: ProvisionOptions): Promise<void> {
  for (const [key, name] of Object.entries(ENROLLED_FILES)) {
    const source = valueAt(draft, `telemetry.${key}`);
    if (typeof source !== 'string') continue;
    setAt(
      draft,
      `telemetry.${key}`,
      await adoptTlsFile(options.configDir, source, name, { gid: options.gid }),
    );
  }
}

/** The enrolment code, scanned or typed; its keys are then settled, and the tech only confirms them. */
async function takeEnrolment(draft: Draft, options: ProvisionOptions): Promise<Set<string>> {
  const { prompter } = options;
  let code = options.enrolmentCode;
  for (;;) {
    if (code === undefined && prompter) {
      code = await prompter.ask("Enrolment code: scan HQ's QR now, or press Enter to type the settings: ");
    }
    if (!code) return new Set();
    let enrolment: Enrolment;
    try {
      if (!options.hqKey) {
        throw new EnrolmentError(
          `no HQ key at ${join(options.configDir, 'hq-enrol.pub')} to check the code with; install it (install.sh --hq-key) or give --enrol-key`,
        );
      }
      enrolment = readEnrolment(code, options.hqKey, options.now());
    } catch (error) {
      sayRefused(error, prompter);
      code = undefined;
      continue;
    }
    options.write(
      `  ✓ Enrolment code from HQ, valid once until ${enrolment.expiresAt.toISOString()}:\n` +
        `    site ${enrolment.site}, device ${enrolment.deviceId}${enrolment.label ? ` (${enrolment.label})` : ''}, ` +
        `broker ${enrolment.brokerUrl} as ${clientIdFor(enrolment.site, enrolment.deviceId)}\n`,
    );
    if (prompter && !(await confirm(prompter, 'Use these?', true))) {
      code = undefined;
      continue;
    }
    let tls: EnrolledTls;
    try {
      tls = await enrolCertificate(enrolment, options.configDir, { gid: options.gid });
    } catch (error) {
      sayRefused(error, prompter);
      code = undefined;
      continue;
    }
    options.write(
      `  ✓ Client certificate from HQ for ${clientIdFor(enrolment.site, enrolment.deviceId)}: ${tls.certFile}\n`,
    );
    // The certificate is the broker login: no username, no password; unset ones stay unset, not asked.
    const values: Record<string, string | undefined> = {
      'device.site': enrolment.site,
      'device.id': enrolment.deviceId,
      'device.label': enrolment.label,
      'telemetry.brokerUrl': enrolment.brokerUrl,
      'telemetry.username': undefined,
      'secrets.telemetry.password': undefined,
      'telemetry.caFile': tls.caFile,
      'telemetry.certFile': tls.certFile,
      'telemetry.keyFile': tls.keyFile,
    };
    for (const [path, value] of Object.entries(values)) setAt(draft, path, value);
    return new Set(
      Object.keys(values).filter((path) => path !== 'device.label' || values[path] !== undefined),
    );
  }
}

/** A refused code: on the console the tech is told and scans another; scripted, provisioning stops. */
function sayRefused(error: unknown, prompter: Prompter | undefined): void {
  if (!(error instanceof EnrolmentError) || !prompter)
    throw new ProvisionError(`enrolment refused: ${(error as Error).message}`);
  prompter.say(`  ✗ Refused: ${error.message}`);
}

/** Scripted: every answer must be there and valid before anything is asked of Vipps or the broker. */
async function takeAndVerify(draft: Draft, options: ProvisionOptions): Promise<CheckResult[]> {
  const say = (line: string) => options.write(`${line}\n`);
  for (const step of options.steps) {
    await step.prepare?.(draft, say);
    for (const field of step.fields) {
      if (valueAt(draft, field.path) !== undefined || field.optional || !(field.when?.(draft) ?? true))
        continue;
      const suggested = field.suggest?.(draft);
      if (suggested !== undefined) setAt(draft, field.path, suggested);
    }
    step.derive?.(draft);
  }
  const problems = options.steps.flatMap((step) =>
    step.fields.flatMap((field) => {
      if (!(field.when?.(draft) ?? true)) return [];
      const value = valueAt(draft, field.path);
      if (value === undefined && field.optional) return [];
      const problem = problemWith(field.path, value);
      if (problem === undefined) return [];
      const what =
        value === undefined
          ? 'is missing'
          : field.secret
            ? 'is not valid'
            : `${JSON.stringify(value)} is not valid`;
      return [`  - ${field.path} ${what}; ${problem} (${whereToGive(field)})`];
    }),
  );
  if (problems.length > 0) {
    throw new ProvisionError(`nothing was written; the answers are not complete:\n${problems.join('\n')}`);
  }
  const checks: CheckResult[] = [];
  for (const step of options.steps) {
    if (!step.verify) continue;
    const result = await step.verify(draft, say);
    options.write(`  ${MARK[result.status]} ${result.name}: ${result.detail}\n`);
    checks.push(result);
  }
  return checks;
}

/** On the console: each step asked, then verified; a failed step is asked again or, if the tech says so, kept. */
async function askAndVerify(
  prompter: Prompter,
  draft: Draft,
  settled: Set<string>,
  options: ProvisionOptions,
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  for (const step of options.steps) {
    for (;;) {
      prompter.say(`\n${step.title}`);
      await step.prepare?.(draft, (line) => prompter.say(line));
      for (const field of step.fields) {
        if (settled.has(field.path) || !(field.when?.(draft) ?? true)) continue;
        setAt(draft, field.path, await askField(prompter, field, draft));
      }
      step.derive?.(draft);
      if (!step.verify) break;
      const result = await step.verify(draft, (line) => prompter.say(line));
      prompter.say(`  ${MARK[result.status]} ${result.name}: ${result.detail}`);
      if (result.status !== 'fail') {
        checks.push(result);
        break;
      }
      if (await confirm(prompter, 'Enter this step again?', true)) continue;
      if (await confirm(prompter, 'Save it unverified and go on?', false)) {
        checks.push({ ...result, status: 'warn', detail: `unverified: ${result.detail}` });
        break;
      }
      throw new ProvisionError(`stopped at "${step.title}"; nothing was written`);
    }
  }
  return checks;
}

/** Where a scripted install gives a key: its flag, or for a secret its VK_ variable. */
function whereToGive(field: Field): string {
  return field.flag ? `--${field.flag}` : `${envName(field.path.split('.'))} or --from FILE`;
}

const MARK: Record<CheckResult['status'], string> = { pass: '✓', warn: '!', fail: '✗' };

/** Asks until the schema takes the answer. Enter keeps the current value (or the suggestion). */
async function askField(prompter: Prompter, field: Field, draft: Draft): Promise<unknown> {
  const current = valueAt(draft, field.path);
  const fallback = current ?? field.suggest?.(draft);
  const shown =
    fallback === undefined || fallback === ''
      ? ''
      : field.secret
        ? ' [keep current]'
        : ` [${String(fallback)}]`;
  const clear = field.optional && fallback !== undefined && fallback !== '' ? ' (- clears)' : '';
  for (;;) {
    const answer = await prompter.ask(`  ${field.label}${shown}${clear}: `, { secret: field.secret });
    if (answer === '-' && field.optional) return undefined;
    const value = answer === '' ? fallback : answer;
    if ((value === undefined || value === '') && field.optional) return undefined;
    const problem = problemWith(field.path, value);
    if (problem === undefined) return value;
    prompter.say(`    ✗ ${value === undefined ? 'needed' : 'not valid'}; ${problem}`);
  }
}

async function confirm(prompter: Prompter, question: string, yes: boolean): Promise<boolean> {
  for (;;) {
    const answer = (await prompter.ask(`${question} ${yes ? '[Y/n]' : '[y/N]'} `)).toLowerCase();
    if (answer === '') return yes;
    if (answer === 'y' || answer === 'yes') return true;
    if (answer === 'n' || answer === 'no') return false;
  }
}

/** The whole configuration as the daemon will load it: catches what no single answer shows. */
function validateWhole(draft: Draft, dir: string): void {
  try {
    parseSettings(draft, {}, { config: join(dir, CONFIG_FILE), secrets: join(dir, SECRETS_FILE) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ProvisionError(
      `the configuration would not be usable; nothing was written:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

function fieldsOf(steps: readonly Step[]): Field[] {
  return steps.flatMap((s) => s.fields);
}

function changeOf(before: Draft, after: Draft, path: string): Change {
  const a = valueAt(before, path);
  const b = valueAt(after, path);
  if (a === undefined) return b === undefined ? 'same' : 'new';
  if (b === undefined) return 'removed';
  return JSON.stringify(a) === JSON.stringify(b) ? 'same' : 'changed';
}

function summary(
  options: ProvisionOptions,
  before: Draft,
  draft: Draft,
  checks: CheckResult[],
  written?: string[],
): string {
  const settings = fieldsOf(options.steps)
    .filter((f) => valueAt(before, f.path) !== undefined || valueAt(draft, f.path) !== undefined)
    .map((f) => {
      const value = valueAt(draft, f.path);
      const shown = value === undefined ? '(not set)' : f.secret ? '(set)' : String(value);
      return [f.path, shown, changeOf(before, draft, f.path)];
    });
  const verdicts = checks.map((c) => [c.name, c.status, c.detail]);
  const outcome =
    written === undefined
      ? 'Nothing written.'
      : written.length === 0
        ? `Nothing changed in ${options.configDir}.`
        : `Wrote ${written.map((f) => join(options.configDir, f)).join(' and ')}.`;
  return [
    '',
    formatTable(['setting', 'value', 'change'], settings),
    formatTable(['check', 'result', 'detail'], verdicts),
    outcome,
    written && written.length > 0
      ? 'Start or restart the kiosk: systemctl restart vipps-kiosk vipps-kiosk-screen'
      : '',
    '',
  ].join('\n');
}
