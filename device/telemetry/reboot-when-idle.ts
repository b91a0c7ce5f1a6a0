import type { Logger } from '../../common/log/logger.js';
import type { ScreenName } from '../../contracts/screen-model.js';
import { CommandRefusedError } from './hq-command-responder.js';

/** Screens where no customer is in the middle of anything (out of order takes no customer at all). */
const IDLE: readonly ScreenName[] = ['attract', 'maintenance', 'out-of-order'];

export interface RebootableKiosk {
  model(): { screen: ScreenName };
  maintenance(on: boolean): void;
}

/**
 * HQ's `reboot`: only while nobody is using the kiosk. The kiosk goes out of order first, so no customer
 * starts in the seconds before the machine goes down, and the answer reaches HQ before it does. A reboot
 * the system refuses puts the kiosk back in service and says why in the log.
 */
export function rebootWhenIdle(
  kiosk: RebootableKiosk,
  reboot: (() => Promise<void>) | undefined,
  logger: Logger,
  delayMs = 2_000,
): () => { rebootingInSeconds: number } {
  return () => {
    if (!reboot) {
      throw new CommandRefusedError(
        'this kiosk does not reboot its machine (demo mode; stop it with Ctrl+C)',
      );
    }
    const { screen } = kiosk.model();
    if (!IDLE.includes(screen)) {
      throw new CommandRefusedError(
        `a customer is using the kiosk (screen "${screen}"); nothing was done. Try again when it is idle, ` +
          'or send "maintenance on" first and reboot once it shows maintenance',
      );
    }
    kiosk.maintenance(true);
    logger.warn('rebooting at HQ’s request', { inSeconds: delayMs / 1000 });
    setTimeout(() => {
      reboot().catch((error: unknown) => {
        kiosk.maintenance(false);
        logger.error('the reboot HQ asked for failed; the kiosk is back in service', {
          error: error instanceof Error ? error.message : String(error),
        });
      });
    }, delayMs).unref();
    return { rebootingInSeconds: delayMs / 1000 };
  };
}
