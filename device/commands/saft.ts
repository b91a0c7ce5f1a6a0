import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../cash-register/journal-store.js';
import { PeriodError, periodOf, saftOfPeriod } from '../cash-register/saft-period.js';
import { cashRegisterSettings, STATE_OPTIONS } from './cash-register.js';

export const saftUsage = `vipps-kiosk saft export --from DATE --to DATE [--out DIR] [--config-dir DIR] [--state-dir DIR]
  export  write the SAF-T Cash Register file of the period (dates YYYY-MM-DD or "today", both included,
          Norwegian time) to DIR (default: here) as "SAF-T Cash Register_<orgnr>_<yyyyMMddHHmmss>.xml";
          the export is journaled`;

export async function saftCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...STATE_OPTIONS,
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals[0] !== 'export') throw new UsageError(`unknown saft action "${positionals[0] ?? ''}"`);
  const createdAt = Date.now();
  let period: { from: string; to: string };
  try {
    period = periodOf(values.from, values.to, createdAt);
  } catch (error) {
    if (error instanceof PeriodError) throw new UsageError(`--${error.message}`);
    throw error;
  }
  const { from, to } = period;
  const settings = await cashRegisterSettings(values);
  const store = CashRegisterStore.openExisting(join(settings.stateDir, CASH_REGISTER_FILE));
  try {
    const { file: name, xml } = saftOfPeriod(settings, store, { from, to }, createdAt);
    const file = resolve(values.out ?? '.', name);
    await writeFile(file, xml, { flag: 'wx' });
    store.append(createdAt, 'journal.export', { from, to, file });
    process.stdout.write(`${file}\n`);
  } finally {
    store.close();
  }
}
