import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/log/logger.js';
import { JOURNAL_FILE, SqliteJournal } from '../journal/sqlite-journal.js';
import { OUTBOX_FILE, SqliteOutbox } from '../telemetry/outbox.js';
import { CRM_QUEUE_FILE, CrmQueue } from './crm-queue.js';
import { type ClubSettings, clubStoreName, openClub } from './open-club.js';
import { CLUB_FILE } from './sqlite-club.js';

/** What one store held of the customer and what became of it. */
export interface StoreForgotten {
  /** The store in words for a field tech, with its file or URL. */
  store: string;
  /** Deleted or redacted now; null when the store does not exist here (nothing was created to look). */
  removed: number | null;
  /** What a count means in this store ("members deleted", "events cleaned"). */
  what: string;
}

export interface CustomerForgotten {
  stores: StoreForgotten[];
  /** Payments not settled yet that name the customer: kept until settled, redacted then by themselves. */
  unsettledPayments: number;
}

/**
 * `vipps-kiosk club forget`: the customer is taken out of every store the kiosk keeps in its state
 * directory, and out of the club wherever it is kept. Local files first, so a CRM that cannot be reached
 * does not keep them from being cleaned (the error says to run the command again); a file that does not
 * exist is not created. Every SQLite store here runs with secure_delete and truncates its WAL, so what is
 * removed is not left in the file's bytes.
 */
export async function forgetCustomer(
  settings: ClubSettings,
  msisdn: string,
  logger: Logger,
): Promise<CustomerForgotten> {
  const stores: StoreForgotten[] = [];
  const file = (name: string) => join(settings.stateDir, name);
  const inFile = <T extends { stop(): void } | { close(): void }>(
    path: string,
    open: () => T,
    work: (store: T) => number,
  ): number | null => {
    if (!existsSync(path)) return null;
    const store = open();
    try {
      return work(store);
    } finally {
      if ('stop' in store) store.stop();
      else store.close();
    }
  };

  let unsettledPayments = 0;
  stores.push({
    store: `payment journal ${file(JOURNAL_FILE)}`,
    what: 'settled payments redacted',
    removed: inFile(
      file(JOURNAL_FILE),
      () => SqliteJournal.open(file(JOURNAL_FILE)),
      (journal) => {
        const found = journal.forgetCustomer(msisdn);
        unsettledPayments = found.unsettled;
        return found.redacted;
      },
    ),
  });
  stores.push({
    store: `telemetry outbox ${file(OUTBOX_FILE)}`,
    what: 'events cleaned',
    removed: inFile(
      file(OUTBOX_FILE),
      () => SqliteOutbox.open(file(OUTBOX_FILE)),
      (outbox) => outbox.forget(msisdn),
    ),
  });
  // Before the club: with the CRM as store, starting it would deliver what is queued, this customer too.
  stores.push({
    store: `CRM enrolment queue ${file(CRM_QUEUE_FILE)}`,
    what: 'queued enrolments deleted',
    removed: inFile(
      file(CRM_QUEUE_FILE),
      () => CrmQueue.open(file(CRM_QUEUE_FILE)),
      (queue) => queue.forget(msisdn),
    ),
  });

  const club = { store: clubStoreName(settings), what: 'members deleted', removed: null as number | null };
  if (settings.club.store === 'http' || existsSync(file(CLUB_FILE))) {
    const store = openClub(settings, logger);
    await store.start();
    try {
      club.removed = (await store.forget(msisdn)) ? 1 : 0;
    } catch (error) {
      throw new CustomerPartlyForgottenError({ stores, unsettledPayments }, club.store, error as Error);
    } finally {
      await store.stop();
    }
  }
  stores.unshift(club);
  return { stores, unsettledPayments };
}

/** The club store could not be reached: the local stores are clean, the club must be asked again. */
export class CustomerPartlyForgottenError extends Error {
  override readonly name = 'CustomerPartlyForgottenError';

  constructor(
    readonly done: CustomerForgotten,
    store: string,
    cause: Error,
  ) {
    super(`${cause.message}; ${store} still holds the member: run the command again when it can be reached`, {
      cause,
    });
  }
}
