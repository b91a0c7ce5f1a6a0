import { WriteRefusedError } from '../cash-register/journal-store.js';
import { PeriodError, periodOf } from '../cash-register/saft-period.js';
import { CatalogFileError } from '../catalog/catalog-file.js';
import { CatalogMarketChangedError } from '../catalog/reloadable-catalog.js';
import { CommandRefusedError } from './hq-command-responder.js';

export interface HqCommandDeps {
  /** Blink the status LED so a tech in the store finds the kiosk HQ means. */
  identify(seconds: number): void;
  diagnostics(): Record<string, unknown>;
  /** Out of order once no customer is using the kiosk (a payment in flight is finished first), or back. */
  maintenance(on: boolean): { screen: string };
  reloadCatalog(): Promise<{ products: number }>;
  /** Reboots the machine if no customer is using the kiosk; refuses (CommandRefusedError) otherwise. */
  reboot(): { rebootingInSeconds: number };
  /** An X or Z report of the cash register, journaled; absent when the kiosk is not a cash register. */
  report?: (kind: 'x' | 'z') => Record<string, unknown>;
  /**
   * The SAF-T file of a period sent on `files/{transactionId}`, answered with its manifest; absent when the
   * kiosk is not a cash register.
   */
  saftExport?: (
    period: { from: string; to: string },
    transactionId: string,
  ) => Promise<Record<string, unknown>>;
  now?: () => number;
}

const KNOWN = 'identify, diagnostics, reload-catalog, maintenance, reboot, report, saft-export';
const NOT_A_CASH_REGISTER = 'this kiosk is not a cash register (cashRegister is not configured)';

/** What the kiosk does for HQ's commands. Unknown or malformed ones are answered with an error and do nothing else. */
export function hqCommandHandler(deps: HqCommandDeps) {
  return async (
    name: string,
    args: Record<string, unknown>,
    context: { transactionId: string } = { transactionId: '' },
  ): Promise<Record<string, unknown>> => {
    switch (name) {
      case 'identify': {
        const seconds = args.seconds ?? 10;
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > 120) {
          throw new CommandRefusedError('"seconds" must be a whole number from 1 to 120');
        }
        deps.identify(seconds);
        return { blinkingForSeconds: seconds };
      }
      case 'diagnostics':
        return deps.diagnostics();
      case 'maintenance': {
        if (args.state !== 'on' && args.state !== 'off') {
          throw new CommandRefusedError('"state" must be "on" or "off"');
        }
        return { maintenance: args.state, ...deps.maintenance(args.state === 'on') };
      }
      case 'reload-catalog':
        try {
          return await deps.reloadCatalog();
        } catch (error) {
          if (error instanceof CatalogFileError || error instanceof CatalogMarketChangedError) {
            throw new CommandRefusedError(`catalog not reloaded; the old one stays: ${error.message}`);
          }
          throw error;
        }
      case 'reboot':
        return deps.reboot();
      case 'report': {
        if (args.kind !== 'x' && args.kind !== 'z')
          throw new CommandRefusedError('"kind" must be "x" or "z"');
        if (!deps.report) {
          throw new CommandRefusedError(`${NOT_A_CASH_REGISTER}: it makes no X or Z reports`);
        }
        try {
          return deps.report(args.kind);
        } catch (error) {
          if (error instanceof WriteRefusedError) throw new CommandRefusedError(error.message);
          throw error;
        }
      }
      case 'saft-export': {
        if (!deps.saftExport)
          throw new CommandRefusedError(`${NOT_A_CASH_REGISTER}: it has no SAF-T Cash Register file`);
        let period: { from: string; to: string };
        try {
          period = periodOf(args.from, args.to, (deps.now ?? Date.now)());
        } catch (error) {
          if (error instanceof PeriodError) throw new CommandRefusedError(error.message);
          throw error;
        }
        return deps.saftExport(period, context.transactionId);
      }
      default:
        throw new CommandRefusedError(`unknown command "${name}"; known: ${KNOWN}`);
    }
  };
}
