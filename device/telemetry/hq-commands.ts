import { WriteRefusedError } from '../cash-register/journal-store.js';
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
}

const KNOWN = 'identify, diagnostics, reload-catalog, maintenance, reboot, report';

/** What the kiosk does for HQ's commands. Unknown or malformed ones are answered with an error and do nothing else. */
export function hqCommandHandler(deps: HqCommandDeps) {
  return async (name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> => {
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
          throw new CommandRefusedError(
            'this kiosk is not a cash register (cashRegister is not configured): it makes no X or Z reports',
          );
        }
        try {
          return deps.report(args.kind);
        } catch (error) {
          if (error instanceof WriteRefusedError) throw new CommandRefusedError(error.message);
          throw error;
        }
      }
      default:
        throw new CommandRefusedError(`unknown command "${name}"; known: ${KNOWN}`);
    }
  };
}
