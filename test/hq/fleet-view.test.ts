import { describe, expect, it } from 'vitest';
import { FleetView, formatAge, formatFleetTable, formatMoney } from '../../hq/fleet-view.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const NBSP = '\u00a0';

const status = (state: 'online' | 'offline', bootId = 'BOOT1', session = 1, startedAt = NOW - 3_600_000) =>
  JSON.stringify({ state, version: '0.1.0', bootId, startedAt: new Date(startedAt).toISOString(), session });

const event = (id: string, type: string, payload: Record<string, unknown>, at = NOW - 12_000) =>
  JSON.stringify({ id, type, class: 'money', at: new Date(at).toISOString(), payload });

const base = (site: string, device: string) => `vk/v1/${site}/${device}`;

describe('FleetView', () => {
  it('keeps one row per {site, device}, sorted by site then device', () => {
    const view = new FleetView();
    view.ingest(`${base('oslo-2', 'kiosk-01')}/status`, status('online'), { now: NOW });
    view.ingest(`${base('bergen-1', 'kiosk-02')}/status`, status('online'), { now: NOW });
    view.ingest(`${base('bergen-1', 'kiosk-01')}/state`, JSON.stringify({ screen: 'attract' }), { now: NOW });
    view.ingest(`${base('oslo-2', 'kiosk-01')}/state`, JSON.stringify({ screen: 'basket' }), { now: NOW });
    expect(view.rows().map((r) => `${r.site}/${r.device}`)).toEqual([
      'bergen-1/kiosk-01',
      'bergen-1/kiosk-02',
      'oslo-2/kiosk-01',
    ]);
    expect(view.rows()[2]).toMatchObject({ online: true, since: NOW, screen: 'basket', errors: 0 });
  });

  it('reads state, health and sale events', () => {
    const view = new FleetView();
    const k = base('oslo-1', 'kiosk-01');
    view.ingest(`${k}/state`, JSON.stringify({ screen: 'paying', vippsReachable: false, basketItems: 2 }), {
      now: NOW,
    });
    view.ingest(`${k}/health`, JSON.stringify({ uptimeSeconds: 9, outboxDepth: 120, degraded: true }));
    view.ingest(`${k}/events/checkout-completed`, event('E1', 'checkout-completed', { amount: 12_350 }));
    view.ingest(
      `${k}/events/checkout-declined`,
      event('E2', 'checkout-declined', { reason: 'x', amount: 1 }),
    );
    view.ingest(`${k}/events/checkout-cancelled`, event('E3', 'checkout-cancelled', { amount: null }));
    view.ingest(`${k}/events/payments-recovered`, event('E4', 'payments-recovered', { captured: 1 }));
    // Problems the kiosk reports count as errors; their recovery does not.
    view.ingest(`${k}/events/vipps-unreachable`, event('E5', 'vipps-unreachable', { screen: 'paying' }));
    view.ingest(`${k}/events/vipps-reachable`, event('E6', 'vipps-reachable', { screen: 'basket' }));
    view.ingest(`${k}/events/scanner-detached`, event('E7', 'scanner-detached', { scanner: 'missing' }));
    view.ingest(`${k}/events/scanner-attached`, event('E8', 'scanner-attached', { scanner: 'attached' }));
    expect(view.rows()[0]).toMatchObject({
      online: undefined,
      screen: 'paying',
      vippsReachable: false,
      outboxDepth: 120,
      degraded: true,
      sales: 1,
      declines: 1,
      cancels: 1,
      lastSale: { amount: 12_350, currency: 'NOK', at: NOW - 12_000 },
      errors: 2,
    });
  });

  it('de-duplicates events by id (at-least-once delivery) and keeps the latest sale', () => {
    const view = new FleetView();
    const topic = `${base('oslo-1', 'kiosk-01')}/events/checkout-completed`;
    const second = event('E2', 'checkout-completed', { amount: 5_000, currency: 'NOK' }, NOW - 5_000);
    expect(view.ingest(topic, event('E1', 'checkout-completed', { amount: 100 }, NOW - 60_000))).toBe(true);
    expect(view.ingest(topic, second)).toBe(true);
    expect(view.ingest(topic, second)).toBe(false);
    // An older sale arriving late (the outbox drains after an outage) does not replace the last one.
    view.ingest(topic, event('E0', 'checkout-completed', { amount: 1 }, NOW - 600_000));
    const [row] = view.rows();
    expect(row?.sales).toBe(3);
    expect(row?.lastSale).toEqual({ amount: 5_000, currency: 'NOK', at: NOW - 5_000 });
  });

  it('goes offline on the last will, and ignores a late will of an older session or boot', () => {
    const view = new FleetView();
    const topic = `${base('oslo-1', 'kiosk-01')}/status`;
    view.ingest(topic, status('online', 'BOOT1', 2), { now: NOW - 10_000 });
    view.ingest(topic, status('offline', 'BOOT1', 1), { now: NOW - 9_000 }); // session 1's will
    expect(view.rows()[0]).toMatchObject({ online: true, since: NOW - 10_000 });

    view.ingest(topic, status('offline', 'BOOT1', 2), { now: NOW - 5_000 }); // the current session's will
    expect(view.rows()[0]).toMatchObject({ online: false, since: NOW - 5_000 });

    view.ingest(topic, status('online', 'BOOT2', 1, NOW - 1_000), { now: NOW - 1_000 }); // rebooted
    view.ingest(topic, status('offline', 'BOOT1', 2), { now: NOW }); // the old boot's will, late
    expect(view.rows()[0]).toMatchObject({ online: true, bootId: 'BOOT2', since: NOW - 1_000 });
  });

  it('a retained status has no known "since"; a cleared one forgets the state', () => {
    const view = new FleetView();
    const topic = `${base('oslo-1', 'kiosk-01')}/status`;
    view.ingest(topic, status('offline'), { now: NOW, retained: true });
    expect(view.rows()[0]).toMatchObject({ online: false, since: undefined });
    view.ingest(topic, '', { now: NOW, retained: true });
    expect(view.rows()[0]).toMatchObject({ online: undefined, errors: 0 });
  });

  it('counts garbage and never throws', () => {
    const view = new FleetView();
    const k = base('oslo-1', 'kiosk-01');
    const garbage: Array<[string, string]> = [
      [`${k}/status`, '{not json'],
      [`${k}/status`, JSON.stringify({ state: 'sleeping' })],
      [`${k}/state`, '[1,2]'],
      [`${k}/health`, 'null'],
      [`${k}/events/checkout-completed`, JSON.stringify({ type: 'checkout-completed' })], // no id
      [`${k}/events/checkout-completed`, event('E9', 'checkout-completed', { amount: 'lots' })],
      [`${k}/events/checkout-completed`, '\u0000\uffff'],
    ];
    for (const [topic, text] of garbage) expect(() => view.ingest(topic, text, { now: NOW })).not.toThrow();
    const unknown = [
      'vk/v1/oslo-1',
      'vk/v2/a/b/status',
      'other/topic',
      `${k}/bogus`,
      `${k}/events/a/b`,
      '',
      '/',
    ];
    for (const topic of unknown) view.ingest(topic, '{}');
    view.ingest(`${k}/cmd/reboot`, '{}'); // HQ's own commands: valid, not shown, not garbage
    expect(view.unknownTopics).toBe(unknown.length);
    expect(view.rows()).toHaveLength(1);
    expect(view.rows()[0]).toMatchObject({ errors: garbage.length, sales: 1, lastSale: undefined });
  });
});

describe('what a kiosk sends is validated before HQ shows it', () => {
  it.each([
    ['basket', 'basket', 0],
    ['club-consent', 'club-consent', 0],
    ['basket\u001b]2;pwned\u0007', 'invalid', 1],
    ['idle', 'invalid', 1],
    ['', 'invalid', 1],
  ])('screen %j is kept as %j with %i error(s)', (screen, kept, errors) => {
    const view = new FleetView();
    view.ingest(`${base('oslo-1', 'kiosk-01')}/state`, JSON.stringify({ screen }), { now: NOW });
    expect(view.rows()[0]).toMatchObject({ screen: kept, errors });
  });

  it.each([
    ['NOK', 'NOK', 0],
    ['EUR', 'EUR', 0],
    ['USD', 'invalid', 1],
    ['\u001b[2J', 'invalid', 1],
  ])('currency %j is kept as %j with %i error(s)', (currency, kept, errors) => {
    const view = new FleetView();
    const topic = `${base('oslo-1', 'kiosk-01')}/events/checkout-completed`;
    view.ingest(topic, event('E1', 'checkout-completed', { amount: 1_250, currency }), { now: NOW });
    expect(view.rows()[0]).toMatchObject({ lastSale: { currency: kept }, errors });
  });

  it('prints an invalid screen and currency as such, never their text', () => {
    const view = new FleetView();
    const k = base('oslo-1', 'kiosk-01');
    view.ingest(`${k}/state`, JSON.stringify({ screen: '\u202eevil' }), { now: NOW });
    view.ingest(
      `${k}/events/checkout-completed`,
      event('E1', 'checkout-completed', { amount: 1_250, currency: 'X\u0007' }),
      { now: NOW },
    );
    const [, line] = formatFleetTable(view.rows(), NOW).split('\n');
    expect(line).toBe(
      'oslo-1  kiosk-01  ?       -      (invalid)  -      12,50 (invalid currency), 12 s ago      1         0       -       2',
    );
  });
});

describe('formatFleetTable', () => {
  it('prints an aligned table for a fixed now', () => {
    const view = new FleetView();
    const a = base('bergen-1', 'kiosk-07');
    const b = base('oslo-1', 'kiosk-01');
    view.ingest(`${b}/status`, status('online'), { now: NOW - 12_000 });
    view.ingest(`${b}/state`, JSON.stringify({ screen: 'attract', vippsReachable: true }), { now: NOW });
    view.ingest(`${b}/health`, JSON.stringify({ outboxDepth: 0, degraded: false }), { now: NOW });
    view.ingest(`${b}/events/checkout-completed`, event('S1', 'checkout-completed', { amount: 123_450 }), {
      now: NOW,
    });
    view.ingest(`${a}/status`, status('offline'), { now: NOW - 180_000 });
    view.ingest(`${a}/state`, JSON.stringify({ screen: 'basket', vippsReachable: false }), { now: NOW });
    view.ingest(`${a}/health`, JSON.stringify({ outboxDepth: 240, degraded: true }), { now: NOW });
    view.ingest(`${a}/events/checkout-declined`, event('D1', 'checkout-declined', { amount: 500 }));
    view.ingest(`${a}/state`, 'garbage', { now: NOW });

    expect(formatFleetTable(view.rows(), NOW)).toBe(
      [
        'SITE      DEVICE    ONLINE   SINCE      SCREEN   VIPPS  LAST SALE              SALES  DECLINED        OUTBOX  ERRORS',
        'bergen-1  kiosk-07  offline  3 min ago  basket   no     -                          0         1  240 degraded       1',
        `oslo-1    kiosk-01  online   12 s ago   attract  yes    1${NBSP}234,50${NBSP}kr, 12 s ago      1         0             0       0`,
        '',
      ].join('\n'),
    );
  });

  it('says so when no kiosk has been seen', () => {
    expect(formatFleetTable([], NOW)).toBe('No kiosks seen yet on vk/v1/+/+/#.\n');
  });

  it('formats ages and money', () => {
    expect(
      [0, 59_999, 60_000, 3_599_000, 3_600_000, 47 * 3_600_000, 48 * 3_600_000].map((d) =>
        formatAge(NOW - d, NOW),
      ),
    ).toEqual(['0 s ago', '59 s ago', '1 min ago', '59 min ago', '1 h ago', '47 h ago', '2 d ago']);
    expect(formatAge(NOW + 5_000, NOW)).toBe('0 s ago'); // a kiosk clock ahead of HQ's
    expect(formatMoney(9_900)).toBe(`99,00${NBSP}kr`);
    expect(formatMoney(100, 'not-a-code')).toBe('1.00 not-a-code');
  });
});
