import { describe, expect, expectTypeOf, it } from 'vitest';
import { commandPayloadShape, type SignedCommand } from '../../contracts/hq-command.js';
import type { RelayedPayment } from '../../contracts/relayed-event.js';
import { SCREEN_NAMES } from '../../contracts/screen-model.js';
import {
  ALERT_SEVERITIES,
  type CashRegisterReport,
  CLUB_ENROLMENT_OUTCOMES,
  COMMAND_NAMES,
  type CommandName,
  type CommandRequests,
  type CommandResponse,
  type DeviceTopic,
  type DeviceTopicMap,
  EVENT_CLASSES,
  EVENT_TYPES,
  type EventEnvelope,
  type StatePayload,
  type TopicPayload,
} from '../../contracts/telemetry.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { ajv, channels, classify, type Json, resolved } from './asyncapi-document.js';

// contracts/telemetry.ts (the typed topic -> payload map) and contracts/asyncapi.yaml say the same thing:
// the same event types, commands and enums, and a sample of every payload, written against the TS types
// (so the compiler holds it to them), is valid against the document. A type or schema that drifts
// from the other fails here or in tsc.

const BASE = 'vk/v1/oslo-1/kiosk-07';
const AT = '2026-11-23T14:01:02.345Z';
const REFERENCE = 'kiosk-07-0000000042-1';
const RECOVERY = { captured: 1, cancelled: 0, closed: 2, unresolved: 0, watching: 0 };

function envelope<T extends (typeof EVENT_TYPES)[number]>(
  type: T,
  payload: EventEnvelope<T>['payload'],
): EventEnvelope<T> {
  return {
    id: '01kamz3x2q7h4d9t6w8y0bcdef',
    type,
    class: EVENT_CLASSES[type],
    at: AT,
    payload,
  } as EventEnvelope<T>;
}

const HQ_KEY = TestCommandKey.generate();

const NONE = { count: 0, amount: 0 };
const REPORT: CashRegisterReport = {
  kind: 'z',
  number: 4,
  at: AT,
  period: { previousZ: 3, from: '2026-11-22T17:00:00.000Z', fromRow: 120, toRow: 131 },
  receipts: 2,
  sales: { amount: 8770, netAmount: 7626 },
  payments: [{ type: 'VIPPS', count: 2, amount: 8770 }],
  vat: [{ rate: 1500, basisAmount: 7626, amount: 1144 }],
  returns: NONE,
  discounts: { count: 1, amount: 1000 },
  copies: NONE,
  training: NONE,
  priceLookups: NONE,
  voids: { count: 1, amount: 2490 },
  notPrinted: { count: 2, amount: 8770 },
  grandTotal: { salesAmount: 120_000, returnsAmount: 0, netAmount: 120_000 },
};

/** A command as HQ signs it for kiosk-07, with the arguments its type in the map allows. */
function command<N extends CommandName>(
  name: N,
  transactionId: string,
  args: CommandRequests[N],
): SignedCommand {
  return JSON.parse(HQ_KEY.sign('oslo-1/kiosk-07', name, args, { transactionId }).text) as SignedCommand;
}

const STATE: StatePayload = {
  screen: 'basket',
  machineState: 'session.flow.basket',
  vippsReachable: true,
  basketItems: 3,
  recovery: null,
  leds: { status: 'green', blink: false },
  scannerAttached: true,
};

/** One payload for every topic of a device: a key missing here, or a field off its type, fails tsc. */
const SAMPLES: { [K in DeviceTopic]: DeviceTopicMap[K] } = {
  status: {
    state: 'online',
    version: '0.1.0',
    bootId: '01kamz3x2q7h4d9t6w8y0bcdef',
    startedAt: AT,
    session: 1,
  },
  state: STATE,
  health: {
    uptimeSeconds: 3600,
    rssMb: 81,
    heapMb: 22,
    eventLoopDelayMs: { p50: 0.2, p99: 3.5 },
    load: [0.12, 0.2, 0.18],
    socTemperatureC: 48.3,
    stateDirFreeMb: 2048,
    outboxDepth: 0,
    degraded: false,
    mqttReconnects: 2,
    scansRead: 12,
    crm: { queued: 0, delivered: 3, refused: 0 },
    vipps: { calls: 40, failures: 1, p50Ms: 120, p95Ms: 480 },
  },
  'events/checkout-completed': envelope('checkout-completed', {
    reference: REFERENCE,
    receiptNumber: '0000000042',
    amount: 2490,
    currency: 'NOK',
    items: 1,
    vat: [{ rate: 1500, amount: 325 }],
    memberSavings: 0,
  }),
  'events/checkout-declined': envelope('checkout-declined', {
    reference: null,
    reason: 'unknown-customer',
    amount: null,
  }),
  'events/checkout-cancelled': envelope('checkout-cancelled', { reference: REFERENCE, amount: 2490 }),
  'events/payments-recovered': envelope('payments-recovered', RECOVERY),
  'events/club-enrolment': envelope('club-enrolment', { outcome: 'joined', basketSavings: 1000 }),
  'events/selftest-completed': envelope('selftest-completed', {
    result: 'warn',
    checks: [{ check: 'disk space', status: 'warn', detail: '412 MiB free' }],
  }),
  'events/scanner-attached': envelope('scanner-attached', { scanner: 'simulated' }),
  'events/scanner-detached': envelope('scanner-detached', { scanner: 'missing' }),
  'events/vipps-unreachable': envelope('vipps-unreachable', { screen: 'unavailable' }),
  'events/vipps-reachable': envelope('vipps-reachable', { screen: 'basket' }),
  'events/alert': envelope('alert', {
    code: 'vipps-5080',
    severity: 'critical',
    message: 'Vipps error 5080: the sales unit (MSN 123456) is not approved for push payments.',
    since: AT,
    cleared: false,
  }),
  'events/report': envelope('report', REPORT),
  'events/return-completed': envelope('return-completed', {
    reference: 'storo-kiosk-1-0000000001-1',
    returnNumber: 'R0000000001',
    returnOf: '0000000001',
    amount: 2490,
    currency: 'NOK',
  }),
  'cmd/identify': command('identify', 'hq-1', { seconds: 5 }),
  'cmd/diagnostics': command('diagnostics', 'hq-2', {}),
  'cmd/reload-catalog': command('reload-catalog', 'hq-3', {}),
  'cmd/maintenance': command('maintenance', 'hq-4', { state: 'on' }),
  'cmd/reboot': command('reboot', 'hq-5', {}),
  'cmd/report': command('report', 'hq-6', { kind: 'z' }),
  'cmd/saft-export': command('saft-export', 'hq-7', { from: '2026-11-01', to: 'today' }),
  'resp/identify': { transactionId: 'hq-1', ok: true, result: { blinkingForSeconds: 5 } },
  'resp/diagnostics': {
    transactionId: 'hq-2',
    ok: true,
    result: {
      version: '0.1.0',
      node: 'v20.18.0',
      uptimeSeconds: 3600,
      screen: 'attract',
      machineState: 'idle',
      vippsReachable: true,
      recovery: RECOVERY,
      catalogProducts: 120,
      telemetry: {
        connected: true,
        sessions: 1,
        outboxDepth: 0,
        outboxDegraded: false,
        inflight: 0,
        eventsAcked: 14,
        statesPublished: 9,
        refusedPayloads: 0,
        refusedCommands: 0,
        protocolVersion: 5,
      },
    },
  },
  'resp/reload-catalog': { transactionId: 'hq-3', ok: true, result: { products: 120 } },
  'resp/maintenance': {
    transactionId: 'hq-4',
    ok: true,
    result: { maintenance: 'on', screen: 'maintenance' },
  },
  'resp/reboot': { transactionId: 'hq-5', ok: true, result: { rebootingInSeconds: 2 } },
  'resp/report': { transactionId: 'hq-6', ok: true, result: REPORT },
  'resp/saft-export': {
    transactionId: 'hq-7',
    ok: true,
    result: {
      file: 'SAF-T Cash Register_974760673_20261123150102.xml',
      bytes: 1_824_311,
      gzipBytes: 142_870,
      chunks: 3,
      sha256: 'c0ffee'.repeat(10).concat('c0de'),
    },
  },
};

const RELAYED: RelayedPayment = {
  id: 'Qx3b9Jk2LmN4pR7sT1vW0y',
  msn: '123456',
  reference: REFERENCE,
  name: 'AUTHORIZED',
  amount: { currency: 'NOK', value: 2490 },
  timestamp: AT,
  idempotencyKey: null,
  success: true,
};

const channel = (key: string) => channels.find((c) => c.key === key)!;
const messageNames = (key: string) => channel(key).messages.map((m) => m.name);
const operationMessages = (name: string, reply = false) => {
  const operation = (resolved.operations as unknown as Record<string, Json>)[name]!;
  const messages = (reply ? (operation.reply as Json) : operation).messages as Array<{ name: string }>;
  return messages.map((m) => m.name);
};
const schema = (name: string) =>
  (resolved as unknown as { components: { schemas: Record<string, Json> } }).components.schemas[name]!;
const property = (node: Json, ...path: string[]) =>
  path.reduce<Json>((at, key) => (at.properties as Record<string, Json>)[key]!, node);

describe('the typed topic map and contracts/asyncapi.yaml', () => {
  it('name the same event types, each with the same class', () => {
    expect(channel('events').parameters.type?.enum).toEqual([...EVENT_TYPES]);
    expect(messageNames('events')).toEqual([...EVENT_TYPES]);
    expect(operationMessages('publishEvent')).toEqual([...EVENT_TYPES]);
    for (const message of channel('events').messages)
      expect(property(message.payload, 'class').const, message.name).toBe(
        EVENT_CLASSES[message.name as keyof typeof EVENT_CLASSES],
      );
  });

  it('name the same commands, each answered on resp/{name} in both the reply and the send operation', () => {
    expect(channel('commands').parameters.name?.enum).toEqual([...COMMAND_NAMES]);
    expect(messageNames('responses')).toEqual([...COMMAND_NAMES, 'error']);
    expect(operationMessages('sendResponse')).toEqual([...COMMAND_NAMES, 'error']);
    expect(operationMessages('receiveCommand', true)).toEqual([...COMMAND_NAMES, 'error']);
  });

  it('list the same screens, club outcomes and alert severities', () => {
    expect(property(schema('State'), 'screen').enum).toEqual([...SCREEN_NAMES]);
    expect(property(schema('ClubEnrolmentEvent'), 'payload', 'outcome').enum).toEqual([
      ...CLUB_ENROLMENT_OUTCOMES,
    ]);
    expect(property(schema('AlertEvent'), 'payload', 'severity').enum).toEqual([...ALERT_SEVERITIES]);
  });

  it('agree on a sample of every payload: each is valid on its own topic, as the message it is named for', () => {
    expect(Object.keys(SAMPLES)).toHaveLength(3 + EVENT_TYPES.length + 2 * COMMAND_NAMES.length);
    for (const [topic, payload] of Object.entries(SAMPLES)) {
      const verdict = classify(`${BASE}/${topic}`, payload);
      const [level, name] = topic.split('/');
      const expected = level === 'cmd' ? 'command' : (name ?? level);
      expect(verdict.message.name, topic).toBe(expected);
    }
    expect(classify(`vk/v1/vipps/123456/payments/${REFERENCE}`, RELAYED).message.name).toBe('payment-event');
    const refused: CommandResponse<'reboot'> = {
      transactionId: null,
      ok: false,
      error: 'the kiosk is in use (screen basket)',
    };
    expect(classify(`${BASE}/resp/reboot`, refused).message.name).toBe('error');
  });

  it('agree on the signed payload inside a command: what signCommand writes is a CommandPayload', () => {
    const validate = ajv.compile(schema('CommandPayload'));
    for (const name of COMMAND_NAMES) {
      const inner = JSON.parse(Buffer.from(SAMPLES[`cmd/${name}`].payload, 'base64url').toString('utf8'));
      expect(commandPayloadShape.safeParse(inner).success, name).toBe(true);
      expect(validate(inner), ajv.errorsText(validate.errors)).toBe(true);
      expect(Object.keys(inner)).toEqual(Object.keys(schema('CommandPayload').properties as Json));
    }
    const maintenance = JSON.parse(Buffer.from(SAMPLES['cmd/maintenance'].payload, 'base64url').toString());
    expect(validate({ ...maintenance, args: { state: 'sideways' } })).toBe(false);
    expect(validate({ ...maintenance, transactionId: undefined })).toBe(false);
    const report = JSON.parse(Buffer.from(SAMPLES['cmd/report'].payload, 'base64url').toString());
    expect(validate({ ...report, args: { kind: 'y' } })).toBe(false);
  });

  it('agree on every screen name in the retained state, and every alert severity and outcome', () => {
    for (const screen of SCREEN_NAMES) classify(`${BASE}/state`, { ...STATE, screen } satisfies StatePayload);
    for (const severity of ALERT_SEVERITIES)
      classify(`${BASE}/events/alert`, envelope('alert', { ...SAMPLES['events/alert'].payload, severity }));
    for (const outcome of CLUB_ENROLMENT_OUTCOMES)
      classify(`${BASE}/events/club-enrolment`, envelope('club-enrolment', { outcome, basketSavings: 0 }));
  });

  it('refuses an alert outside its shape: a code that is not a slug, a missing `cleared`, a phone number key', () => {
    const alert = SAMPLES['events/alert'];
    const topic = `${BASE}/events/alert`;
    expect(() => classify(topic, { ...alert, payload: { ...alert.payload, code: 'Vipps 5080' } })).toThrow(
      /pattern/,
    );
    const { cleared: _cleared, ...open } = alert.payload;
    expect(() => classify(topic, { ...alert, payload: open })).toThrow(/cleared/);
    expect(() => classify(topic, { ...alert, payload: { ...alert.payload, msisdn: '47' } })).toThrow(
      /additional/,
    );
    expect(() => classify(topic, { ...alert, class: 'money' })).toThrow();
  });

  it('types whole topic strings by the map', () => {
    expectTypeOf<TopicPayload<'vk/v1/oslo-1/kiosk-07/events/alert'>>().toEqualTypeOf<
      EventEnvelope<'alert'>
    >();
    expectTypeOf<TopicPayload<'vk/v1/oslo-1/kiosk-07/state'>>().toEqualTypeOf<StatePayload>();
    expectTypeOf<TopicPayload<'vk/v1/oslo-1/kiosk-07/resp/identify'>>().toEqualTypeOf<
      CommandResponse<'identify'>
    >();
    expectTypeOf<
      TopicPayload<'vk/v1/vipps/123456/payments/kiosk-07-0000000042-1'>
    >().toEqualTypeOf<RelayedPayment>();
    expectTypeOf<TopicPayload<'vk/v1/oslo-1/kiosk-07/events/printer-jammed'>>().toBeNever();
  });
});
