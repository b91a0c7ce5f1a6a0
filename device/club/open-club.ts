import { join } from 'node:path';
import { ConfigError } from '../../common/config-error.js';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import type { Settings } from '../config/schema.js';
import type { Club } from './club.js';
import { CRM_QUEUE_FILE } from './crm-queue.js';
import { HttpClub } from './http-club.js';
import { CLUB_FILE, SqliteClub } from './sqlite-club.js';

export type ClubSettings = Pick<Settings, 'club' | 'stateDir'> & {
  secrets: Pick<Settings['secrets'], 'club'>;
};

/**
 * The club store the settings name, not started. It does not look at `club.enabled`: a store that switched
 * its club off still holds members, and `vipps-kiosk club forget` must reach them.
 */
export function openClub(settings: ClubSettings, logger: Logger = silentLogger): Club {
  const { club, stateDir } = settings;
  if (club.store === 'sqlite') return new SqliteClub({ path: join(stateDir, CLUB_FILE), logger });
  const token = settings.secrets.club.crmToken;
  if (club.crmUrl === undefined || token === undefined) {
    throw new ConfigError([
      'club.store is "http": club.crmUrl (config.json) and secrets.club.crmToken (secrets.json) must both be set',
    ]);
  }
  return new HttpClub({
    baseUrl: club.crmUrl,
    token,
    timeoutMs: club.crmTimeoutMs,
    queuePath: join(stateDir, CRM_QUEUE_FILE),
    logger,
  });
}

/** Where the members are, in words for a field tech: "the club database /var/lib/…" or "the CRM at …". */
export function clubStoreName(settings: ClubSettings): string {
  return settings.club.store === 'sqlite'
    ? `the club database ${join(settings.stateDir, CLUB_FILE)}`
    : `the CRM at ${settings.club.crmUrl ?? '(club.crmUrl not set)'}`;
}
