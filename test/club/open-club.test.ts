import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/config-error.js';
import { HttpClub } from '../../device/club/http-club.js';
import { type ClubSettings, clubStoreName, openClub } from '../../device/club/open-club.js';
import { SqliteClub } from '../../device/club/sqlite-club.js';
import { settingsSchema } from '../../device/config/schema.js';

function settings(club: Record<string, unknown>, secrets: Record<string, unknown> = {}): ClubSettings {
  return settingsSchema.parse({
    device: { id: 'k-1', site: 'x' },
    vipps: { merchantSerialNumber: '123456' },
    stateDir: '/var/lib/vipps-kiosk',
    club,
    secrets: { vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' }, ...secrets },
  });
}

describe('openClub', () => {
  it('opens the SQLite club in the state directory by default, whether the club is on or off', () => {
    expect(openClub(settings({}))).toBeInstanceOf(SqliteClub);
    expect(openClub(settings({ enabled: true }))).toBeInstanceOf(SqliteClub);
    expect(clubStoreName(settings({}))).toBe('the club database /var/lib/vipps-kiosk/club.sqlite');
  });

  it('opens the CRM club when the store is http and the token is set', () => {
    const crm = settings(
      { enabled: true, store: 'http', crmUrl: 'https://crm.example.com/club/v1' },
      { club: { crmToken: 't' } },
    );
    expect(openClub(crm)).toBeInstanceOf(HttpClub);
    expect(clubStoreName(crm)).toBe('the CRM at https://crm.example.com/club/v1');
  });

  it('refuses a CRM club without its token, saying which key is missing', () => {
    const noToken = settings({ enabled: true, store: 'http', crmUrl: 'https://crm.example.com/club/v1' });
    expect(() => openClub(noToken)).toThrow(ConfigError);
    expect(() => openClub(noToken)).toThrow(/secrets.club.crmToken \(secrets.json\)/);
  });
});
