import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../contracts/telemetry.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { ajv, channels, classify, type Json, resolved, sendBinding } from './asyncapi-document.js';
import { describeWithMosquitto, Mosquitto } from './mosquitto.js';
import { type Received, Subscriber, waitFor } from './subscriber.js';

// contracts/asyncapi.yaml is the wire contract HQ builds on: the daemon's real payloads, published to a real
// Mosquitto during a completed, a declined and a cancelled checkout, must each match exactly one channel
// and validate against that channel's message schema. A payload that drifts from the document fails here.

describe('contracts/asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0.0 document of every v1 topic', () => {
    expect(resolved.asyncapi).toBe('3.0.0');
    expect(resolved.info.title).toBe('vipps-kiosk telemetry');
    expect(resolved.info.version).toBe('v1');
    for (const promise of [
      'No personal data in any payload',
      'HQ de-duplicates events by `id`',
      '`status` is retained, with a last will',
      '`state` is retained',
      'vk/v1/{site}/{device}/#',
    ])
      expect(resolved.info.description).toContain(promise);
    expect(Object.values(resolved.servers).map((s) => s.protocol)).toEqual(['secure-mqtt', 'mqtt']);
    expect(resolved.servers.demo?.host).toBe('127.0.0.1:1883');
    expect(channels.map((c) => [c.address, c.planned])).toEqual([
      ['vk/v1/{site}/{device}/status', false],
      ['vk/v1/{site}/{device}/state', false],
      ['vk/v1/{site}/{device}/health', false],
      ['vk/v1/{site}/{device}/events/{type}', false],
      ['vk/v1/{site}/{device}/cmd/{name}', false],
      ['vk/v1/{site}/{device}/resp/{name}', false],
      ['vk/v1/{site}/{device}/files/{transactionId}', false],
      ['vk/v1/vipps/{msn}/payments/{reference}', false],
      ['vk/v1/hq/alerts', false],
    ]);
    const actions = Object.values(resolved.operations).map((op) => `${op.action} ${op.channel.address}`);
    expect(actions).toContain('send vk/v1/{site}/{device}/status');
    expect(actions).toContain('send vk/v1/{site}/{device}/events/{type}');
    expect(actions).toContain('receive vk/v1/{site}/{device}/cmd/{name}');
    expect(actions).toContain('send vk/v1/{site}/{device}/resp/{name}');
    expect(actions).toContain('send vk/v1/{site}/{device}/files/{transactionId}');
    expect(actions).not.toContain('send vk/v1/{site}/{device}/cmd/{name}');
    expect(channels.find((c) => c.key === 'events')!.parameters.type?.enum).toEqual([...EVENT_TYPES]);
  });

  it('has examples that validate, and a message schema that refuses a drifted payload', () => {
    for (const channel of Object.values(resolved.channels))
      for (const message of Object.values(channel.messages))
        for (const example of message.examples ?? []) {
          const validate = channels.flatMap((c) => c.messages).find((m) => m.name === message.name)!;
          expect(validate.validate(example.payload), ajv.errorsText(validate.validate.errors)).toBe(true);
        }
    const event = {
      id: '01kamz3x2q7h4d9t6w8y0bcdef',
      type: 'checkout-declined',
      class: 'money',
      at: '2026-11-23T14:01:02.345Z',
      payload: { reference: 'kiosk-07-0000000001-1', reason: 'rejected', amount: 2490 },
    };
    const topic = 'vk/v1/oslo-1/kiosk-07/events/checkout-declined';
    expect(classify(topic, event).message.name).toBe('checkout-declined');
    expect(() => classify(topic, { ...event, payload: { reference: null, reason: 'rejected' } })).toThrow(
      /amount/,
    );
    expect(() => classify(topic, { ...event, payload: { ...event.payload, msisdn: 'x' } })).toThrow(
      /additional/,
    );
    expect(() => classify(topic, { ...event, id: '4791234567' })).toThrow();
    expect(() => classify('vk/v1/oslo-1/kiosk-07/events/checkout-completed', event)).toThrow();
    expect(() => classify('vk/v1/oslo-1/kiosk-07/events/printer-jammed', event)).toThrow(/not one of/);
    expect(() => classify('vk/v1/oslo-1/kiosk-07/telemetry', {})).toThrow(/0 channels/);
  });
});

describeWithMosquitto('real telemetry against contracts/asyncapi.yaml', () => {
  let broker: Mosquitto;
  let kiosk: KioskUnderTest;
  let hq: Subscriber;
  let screen: ScreenSocket | undefined;
  const base = 'vk/v1/demo/it-kiosk-1';
  const key = TestCommandKey.generate();
  const MILK = '2000000000015';
  const COFFEE = '2000000000039'; // members save 10 kr

  /** The Vipps Login request the kiosk pushed to this customer, once it has. */
  async function firstLogin(msisdn: string) {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const [login] = await kiosk.control.logins(msisdn);
      if (login) return login;
      if (Date.now() > deadline) throw new Error('no login request reached the sandbox');
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, ['vk/v1/#']);
    kiosk = await new KioskUnderTest().start({
      telemetry: {
        brokerUrl: broker.url,
        username: broker.username,
        willDelaySeconds: 1,
        healthIntervalMs: 200,
      },
      club: { enabled: true },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: key.keysDir,
    });
  });
  afterAll(async () => {
    screen?.close();
    await kiosk?.stop();
    await hq?.close();
    await broker?.dispose();
  });

  const events = (type: string) => hq.on(`${base}/events/${type}`).length;

  it('publishes only payloads the document describes: three checkouts, health, and answers to commands', async () => {
    await waitFor('online status', () => hq.json(`${base}/status`).some((s) => s.state === 'online'));
    screen = await new ScreenSocket().open(kiosk);
    const person = kiosk.sandbox.customers[0]!;
    const customer = person.personalQrV2;

    // Completed, by a customer who joins the club on the way (Vipps Login approved on the phone).
    await kiosk.scan(COFFEE);
    await kiosk.scan(customer);
    await kiosk.screen('club-offer');
    screen.send({ type: 'join-club' });
    const login = await firstLogin(person.msisdn);
    await kiosk.control.answerLogin(login!.authReqId, 'approve');
    kiosk.sandbox.clock.advance(5_000);
    kiosk.clock.increment(5_000);
    let waiting = await kiosk.screen('awaiting-approval');
    await kiosk.control.act(waiting.payment!.reference, 'approve');
    kiosk.clock.increment(5_000);
    await kiosk.screen('approved');
    screen.send({ type: 'done' });
    await kiosk.screen('attract');

    // Declined: rejected on the phone; the basket is kept.
    await kiosk.scan(MILK);
    await kiosk.scan(customer);
    waiting = await kiosk.screen('awaiting-approval');
    const rejected = waiting.payment!.reference;
    await kiosk.control.act(rejected, 'reject');
    kiosk.clock.increment(5_000);
    await kiosk.screen('declined');

    // Cancelled: the customer's QR again (a new payment), then Cancel on the screen.
    await kiosk.scan(customer);
    waiting = await kiosk.screen('awaiting-approval');
    expect(waiting.payment!.reference).not.toBe(rejected);
    screen.send({ type: 'cancel' });
    await kiosk.screen('basket');

    // Vipps away: the customer is told, HQ hears that Vipps cannot be reached, and that it is back.
    await kiosk.control.faults({ rules: [{ method: 'POST', path: '/epayment/v1/payments', status: 503 }] });
    await kiosk.scan(customer);
    await kiosk.screen('unavailable');
    await kiosk.control.clearFaults();
    screen.send({ type: 'try-again' });
    await kiosk.screen('awaiting-approval');
    screen.send({ type: 'cancel' });
    await kiosk.screen('basket');

    await waitFor('the three sale events, the club enrolment and the Vipps outage', () =>
      [
        'checkout-completed',
        'checkout-declined',
        'checkout-cancelled',
        'club-enrolment',
        'vipps-unreachable',
        'vipps-reachable',
      ].every((type) => events(type) > 0),
    );
    // One event each way: the change is reported, not every failed call.
    expect(events('vipps-unreachable')).toBe(1);
    expect(events('vipps-reachable')).toBe(1);
    expect(hq.json(`${base}/events/club-enrolment`).map((event) => event.payload)).toEqual([
      { outcome: 'joined', basketSavings: 1000 },
    ]);
    // Who joined stays on the kiosk: no number, name, e-mail, Vipps user id or the login's code.
    const everything = hq.messages.map((m) => m.text).join('\n');
    for (const personal of [person.msisdn, person.name, person.email, person.sub, login.bindingMessage!])
      expect(everything).not.toContain(personal);
    await waitFor('a state back on the basket', () =>
      hq.json(`${base}/state`).some((state) => state.screen === 'basket' && state.basketItems === 1),
    );
    await waitFor('health samples', () => hq.on(`${base}/health`).length >= 2);
    // HQ's commands, signed: three the kiosk carries out, an unknown one, and a body that is not JSON (both
    // answered with an error). The subscriber is HQ, so it also receives its own commands.
    const send = (name: string, body: string) =>
      hq.client.publishAsync(`${base}/cmd/${name}`, body, { qos: 1 });
    const ask = (name: string, transactionId: string, args: Record<string, string | number> = {}) =>
      send(name, key.sign('demo/it-kiosk-1', name, args, { transactionId }).text);
    await ask('identify', 'hq-identify', { seconds: 5 });
    await ask('diagnostics', 'hq-diagnostics');
    await ask('reload-catalog', 'hq-reload');
    await ask('format-disk', 'hq-unknown');
    await send('diagnostics', 'not json');
    await ask('maintenance', 'hq-maintenance', { state: 'on' });
    await waitFor('six answers', () => hq.messages.filter((m) => m.topic.includes('/resp/')).length >= 6);
    // The clean stop's `offline` (the same shape the last will has).
    await kiosk.kiosk.stop();
    await waitFor('offline status', () => hq.json(`${base}/status`).some((s) => s.state === 'offline'));

    // The two commands the test sent against the contract must be refused by it; everything else,
    // what the kiosk published and HQ's well-formed commands, must validate.
    const offContract = (m: Received) => m.topic === `${base}/cmd/format-disk` || m.text === 'not json';
    for (const message of hq.messages.filter(offContract))
      expect(() => classify(message.topic, JSON.parse(message.text))).toThrow();
    const received: Received[] = hq.messages.filter((m) => !offContract(m));
    const perChannel = new Map<string, number>();
    const failures: string[] = [];
    for (const message of received) {
      try {
        const verdict = classify(message.topic, JSON.parse(message.text));
        expect(verdict.parameters).toMatchObject({ site: 'demo', device: 'it-kiosk-1' });
        expect(verdict.channel.planned, `${message.topic} is on a planned channel`).toBe(false);
        if (verdict.channel.key === 'responses')
          expect([verdict.parameters.name, 'error'], message.text).toContain(verdict.message.name);
        // The subscription is QoS 1, so what arrives has the QoS the kiosk published with.
        if (verdict.channel.key !== 'commands')
          expect(message.qos, message.topic).toBe(Math.min(sendBinding(verdict.channel).qos ?? 0, 1));
        perChannel.set(verdict.channel.key, (perChannel.get(verdict.channel.key) ?? 0) + 1);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    expect(failures).toEqual([]);
    expect([...perChannel.keys()].sort()).toEqual([
      'commands',
      'events',
      'health',
      'responses',
      'state',
      'status',
    ]);
    const answers = hq
      .json<{ transactionId: string | null; ok: boolean }>(`${base}/resp/identify`)
      .concat(
        ...['diagnostics', 'reload-catalog', 'format-disk', 'maintenance'].map((name) =>
          hq.json<never>(`${base}/resp/${name}`),
        ),
      );
    expect(answers.map((a) => [a.transactionId, a.ok]).sort()).toEqual(
      [
        ['hq-diagnostics', true],
        ['hq-identify', true],
        ['hq-maintenance', true],
        ['hq-reload', true],
        ['hq-unknown', false],
        [null, false],
      ].sort(),
    );
    console.log(`asyncapi: ${received.length} messages on ${perChannel.size} channels validated`);

    // The real payloads, drifted, are refused: the schemas are exact, not merely permissive.
    const [sale] = hq.json<{ payload: Json }>(`${base}/events/checkout-completed`);
    const saleTopic = `${base}/events/checkout-completed`;
    expect(() =>
      classify(saleTopic, { ...sale, payload: { ...sale!.payload, customer: '47******67' } }),
    ).toThrow();
    const { currency: _currency, ...noCurrency } = sale!.payload;
    expect(() => classify(saleTopic, { ...sale, payload: noCurrency })).toThrow(/currency/);
    const [state] = hq.json(`${base}/state`);
    expect(() => classify(`${base}/state`, { ...state, printerPaper: true })).toThrow(/additional/);
    const [health] = hq.json(`${base}/health`);
    expect(() => classify(`${base}/health`, { ...health, rssMb: '80' })).toThrow(/rssMb/);
  });
});
