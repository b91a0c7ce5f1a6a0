import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { packageVersion } from '../../common/package-root.js';
import { localDateTime, nextDate, startOfLocalDate } from '../cash-register/formats.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../cash-register/journal-store.js';
import { saftFileName, saftXml } from '../cash-register/saft-export.js';
import { cashRegisterSettings, STATE_OPTIONS } from './cash-register.js';

export const saftUsage = `vipps-kiosk saft export --from DATE --to DATE [--out DIR] [--config-dir DIR] [--state-dir DIR]
  export  write the SAF-T Cash Register file of the period (dates YYYY-MM-DD or "today", both included,
          Norwegian time) to DIR (default: here) as "SAF-T Cash Register_<orgnr>_<yyyyMMddHHmmss>.xml";
          the export is journaled`;

function dateOption(value: string | undefined, name: string, now: number): string {
  if (value === undefined) throw new UsageError(`--${name} is required (YYYY-MM-DD or "today")`);
  const date = value === 'today' ? localDateTime(now).date : value;
  try {
    startOfLocalDate(date);
  } catch {
    throw new UsageError(`--${name} "${value}" is not a date: expected YYYY-MM-DD or "today"`);
  }
  return date;
}

export async function saftCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...STATE_OPTIONS,
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals[0] !== 'export') throw new UsageError(`unknown saft action "${positionals[0] ?? ''}"`);
  const createdAt = Date.now();
  const from = dateOption(values.from, 'from', createdAt);
  const to = dateOption(values.to, 'to', createdAt);
  if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
  const settings = await cashRegisterSettings(values);
  const store = CashRegisterStore.openExisting(join(settings.stateDir, CASH_REGISTER_FILE));
  try {
    const file = resolve(
      values.out ?? '.',
      saftFileName(settings.cashRegister.organisationNumber, createdAt),
    );
    const xml = saftXml({
      company: settings.cashRegister,
      currency: settings.store.currency,
      registerId: settings.device.id,
      locationName: settings.store.name,
      softwareVersion: packageVersion(),
      from,
      to,
      createdAt,
      rows: store.between(startOfLocalDate(from), startOfLocalDate(nextDate(to))),
      priceRows: store.ofKind('price.change'),
      loginRows: store.ofKind('staff.login'),
    });
    await writeFile(file, xml, { flag: 'wx' });
    store.append(createdAt, 'journal.export', { from, to, file });
    process.stdout.write(`${file}\n`);
  } finally {
    store.close();
  }
}
