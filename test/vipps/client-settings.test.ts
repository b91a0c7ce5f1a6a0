import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../device/config/schema.js';

// The settings issue 14 gave the Vipps client: a login start's own timeout (never under 15 s, as it is
// sent once), the Retry-After cap and retry deadline, and whether userinfo gets the subscription key.

const minimal = {
  device: { id: 'kiosk-07', site: 'oslo-storo', label: 'Storo kasse 7' },
  vipps: { merchantSerialNumber: '123456' },
  secrets: { vipps: { clientId: 'id', clientSecret: 'secret', subscriptionKey: 'key' } },
};

describe('Vipps client settings', () => {
  const parse = (vipps: Record<string, unknown> = {}, club: Record<string, unknown> = {}) =>
    settingsSchema.safeParse({ ...minimal, vipps: { ...minimal.vipps, ...vipps }, club });

  it('defaults: a 20 s login start, a 60 s Retry-After cap, a 120 s deadline, no userinfo key', () => {
    const parsed = parse();
    if (!parsed.success) throw parsed.error;
    expect(parsed.data.vipps.timeouts.loginStartMs).toBe(20_000);
    expect(parsed.data.vipps.retry).toMatchObject({ maxRetryAfterMs: 60_000, deadlineMs: 120_000 });
    expect(parsed.data.club.userinfoSubscriptionKey).toBe(false);
  });

  it('refuses a login start timeout under 15 s, saying why', () => {
    const parsed = parse({ timeouts: { loginStartMs: 5_000 } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'vipps.timeouts.loginStartMs: expected at least 15000 ms: a login start is sent once, never retried',
    ]);
  });
});
