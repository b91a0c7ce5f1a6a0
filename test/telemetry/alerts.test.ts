import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AlertEvent, Alerts } from '../../device/telemetry/alerts.js';
import { newEventId } from '../../device/telemetry/event-id.js';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { PersonalDataInTelemetryError } from '../../device/telemetry/payload-guard.js';
import { TelemetryPublisher } from '../../device/telemetry/publisher.js';
import { classify } from './asyncapi-document.js';
import { describeWithMosquitto, Mosquitto } from './mosquitto.js';
import { Subscriber, waitFor } from './subscriber.js';

const START = Date.parse('2026-11-23T14:03:00.118Z');
const PUSH = 'Vipps error 5080: the sales unit (MSN 123456) is not approved for push payments.';

function rig() {
  let now = START;
  const sent: AlertEvent[] = [];
  const alerts = new Alerts({ publish: (event) => sent.push(event), now: () => now });
  return { alerts, sent, advance: (ms: number) => (now += ms) };
}

describe('alerts', () => {
  it('raises an alert once while it is active, and keeps the time it began', () => {
    const { alerts, sent, advance } = rig();
    expect(alerts.raise('vipps-5080', 'critical', PUSH)).toBe(true);
    advance(60_000);
    expect(alerts.raise('vipps-5080', 'critical', PUSH)).toBe(false);
    expect(sent).toEqual([
      {
        type: 'alert',
        class: 'info',
        payload: {
          code: 'vipps-5080',
          severity: 'critical',
          message: PUSH,
          since: '2026-11-23T14:03:00.118Z',
          cleared: false,
        },
      },
    ]);
    expect(alerts.active()).toEqual([
      { code: 'vipps-5080', severity: 'critical', message: PUSH, since: '2026-11-23T14:03:00.118Z' },
    ]);
  });

  it('clears with the alert it ends, once; a later raise is a new alert with a new since', () => {
    const { alerts, sent, advance } = rig();
    alerts.raise('vipps-5080', 'critical', PUSH);
    advance(5_000);
    expect(alerts.clear('vipps-5080')).toBe(true);
    expect(alerts.clear('vipps-5080')).toBe(false);
    expect(alerts.clear('never-raised')).toBe(false);
    expect(alerts.active()).toEqual([]);
    advance(5_000);
    alerts.raise('vipps-5080', 'critical', PUSH);
    expect(sent.map((event) => [event.payload.cleared, event.payload.since])).toEqual([
      [false, '2026-11-23T14:03:00.118Z'],
      [true, '2026-11-23T14:03:00.118Z'],
      [false, '2026-11-23T14:03:10.118Z'],
    ]);
  });

  it('keeps one alert per code, oldest first, each cleared on its own', () => {
    const { alerts, advance } = rig();
    alerts.raise('vipps-keys-refused', 'critical', 'Vipps did not accept the kiosk’s API keys.');
    advance(1_000);
    alerts.raise('outbox-degraded', 'warning', 'HQ has not received events for a while.');
    expect(alerts.active().map((alert) => [alert.code, alert.severity])).toEqual([
      ['vipps-keys-refused', 'critical'],
      ['outbox-degraded', 'warning'],
    ]);
    alerts.clear('vipps-keys-refused');
    expect(alerts.active().map((alert) => alert.code)).toEqual(['outbox-degraded']);
  });

  it('sends events HQ can read: each, in its envelope, is a valid events/alert message', () => {
    const { alerts, sent } = rig();
    alerts.raise('vipps-5080', 'critical', PUSH);
    alerts.clear('vipps-5080');
    for (const event of sent) {
      const envelope = { id: newEventId(START), at: new Date(START).toISOString(), ...event };
      expect(classify('vk/v1/oslo-1/kiosk-07/events/alert', envelope).message.name).toBe('alert');
    }
  });

  it('refuses a code HQ could not key on, and a message with a phone number in it, sending nothing', () => {
    const { alerts, sent } = rig();
    expect(() => alerts.raise('Vipps 5080', 'critical', PUSH)).toThrow(/lower-case words/);
    expect(() => alerts.raise('vipps-7010', 'warning', 'Customer 4791234567 not found')).toThrow(
      PersonalDataInTelemetryError,
    );
    expect(sent).toEqual([]);
    expect(alerts.active()).toEqual([]);
  });
});

describeWithMosquitto('alerts through the telemetry publisher', () => {
  it('reach HQ as events/alert through the durable outbox: raised once, then cleared, each valid', async () => {
    const broker = await Mosquitto.start();
    const dir = await mkdtemp(join(tmpdir(), 'vk-alerts-'));
    const outbox = SqliteOutbox.open(join(dir, OUTBOX_FILE));
    const publisher = new TelemetryPublisher({
      url: broker.url,
      username: broker.username,
      password: broker.password,
      site: 'oslo-1',
      device: 'kiosk-07',
      version: '1.2.3',
      outbox,
      onPersonalData: 'throw',
    });
    const hq = await Subscriber.connect(broker, ['vk/v1/oslo-1/kiosk-07/events/#']);
    try {
      publisher.start();
      // The wiring the composition root does: the alert's type, payload and class, as they are.
      const alerts = new Alerts({
        publish: (event) => publisher.event(event.type, event.payload, event.class),
        now: () => START,
      });
      alerts.raise('vipps-5080', 'critical', PUSH);
      alerts.raise('vipps-5080', 'critical', PUSH);
      alerts.clear('vipps-5080');
      const topic = 'vk/v1/oslo-1/kiosk-07/events/alert';
      // In order per connection: once the clear is in, a second raise would have come before it.
      await waitFor('the clear', () =>
        hq.json<{ payload: { cleared: boolean } }>(topic).some((e) => e.payload.cleared),
      );
      const received = hq.on(topic);
      expect(received.map((m) => JSON.parse(m.text).payload.cleared)).toEqual([false, true]);
      for (const message of received)
        expect(classify(message.topic, JSON.parse(message.text)).message.name).toBe('alert');
      expect(received.map((m) => m.qos)).toEqual([1, 1]);
    } finally {
      await publisher.stop();
      outbox.stop();
      await hq.close();
      await broker.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
