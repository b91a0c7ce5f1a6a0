import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { CashRegister } from '../cash-register/cash-register.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../cash-register/journal-store.js';
import { signingKeyFrom } from '../cash-register/open-cash-register.js';
import { reportText } from '../cash-register/report-text.js';
import { cashRegisterSettings, STATE_OPTIONS } from './cash-register.js';

export const reportUsage = `vipps-kiosk report x|z [--json] [--config-dir DIR] [--state-dir DIR]
  x       an X report: the figures since the last Z report; changes nothing but is journaled (13008)
  z       a Z report: closes the period since the last Z report, numbered, journaled (13009)
  --json  the report as JSON instead of the text table`;

export async function reportCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { ...STATE_OPTIONS, json: { type: 'boolean' } });
  const kind = positionals[0];
  if (kind !== 'x' && kind !== 'z') throw new UsageError(`unknown report "${kind ?? ''}": x or z`);
  const settings = await cashRegisterSettings(values);
  const store = CashRegisterStore.openExisting(join(settings.stateDir, CASH_REGISTER_FILE));
  try {
    const report = new CashRegister(store, signingKeyFrom(settings), Date.now).report(kind);
    process.stdout.write(
      values.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : reportText(report, { ...settings.cashRegister, registerId: settings.device.id }),
    );
  } finally {
    store.close();
  }
}
