import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { type RelayedEvent, relayedEvent } from '../../contracts/relayed-event.js';
import { RelayPublisher } from '../../hq/webhook-relay/relay-publisher.js';
import { run, start, waitFor as waitForOutput } from '../support/cli-process.js';
import { describeWithMosquitto, type Mosquitto } from '../telemetry/mosquitto.js';
import { closed, FleetBroker, fleetBrokerSection, recorder, writeBrokerFiles } from './fleet-broker.js';

// The attacks of issue 15, finding 1 (broker half), against a real Mosquitto running the files
// `vipps-kiosk hq broker-config` writes: one kiosk taking another's client id, the internet-facing
// relay writing commands, a kiosk writing where it must not or reading the whole fleet. Before that
// command, HQ ran the documented hand ACL with one `hq` user for everything and client ids of the
// clients' choosing: (a) and (b) succeeded there.

const A = { site: 'oslo-1', device: 'kiosk-07', msn: '123456', id: 'vk-oslo-1-kiosk-07' };
const B = { site: 'oslo-1', device: 'kiosk-08', msn: '123456', id: 'vk-oslo-1-kiosk-08' };
const topic = (kiosk: typeof A, rest: string) => `vk/v1/${kiosk.site}/${kiosk.device}/${rest}`;
const RELAY = 'hq-relay-1';
const COMMANDS = 'hq-ops';
const WATCH = 'hq-watch';
/** The suite's own eye on vk/v1/#: no test logs in as it, which would take its session over. */
const RECORDER = 'hq-collector-2';
const HQ = [
  { identity: COMMANDS, role: 'commands' },
  { identity: RELAY, role: 'relay' },
  { identity: 'hq-relay-2', role: 'relay' },
  { identity: 'hq-collector-1', role: 'collector' },
  { identity: RECORDER, role: 'collector' },
  { identity: WATCH, role: 'watch' },
];

/** The fleet's broker files, made by the command, for a test broker: a password listener on loopback
 * for the HQ identities (and kiosks with passwords), a certificate listener for kiosks. */
async function generatedConfig(broker: Mosquitto): Promise<string> {
  const fleetFile = join(broker.dir, 'fleet.json');
  await writeFile(
    fleetFile,
    JSON.stringify({
      kiosks: [A, B].map(({ site, device, msn }) => ({ site, device, merchantSerialNumber: msn })),
      hq: HQ,
      broker: fleetBrokerSection(broker),
    }),
  );
  await writeBrokerFiles(fleetFile, broker.dir);
  return readFile(join(broker.dir, 'vk-fleet.conf'), 'utf8');
}

const USERS = [A.id, B.id, ...HQ.map((h) => h.identity)];

/** MQTT 5's PUBACK reason code for a publish the ACL refuses. */
const NOT_AUTHORIZED = 0x87;

describeWithMosquitto('the fleet broker refuses what a kiosk or the relay must not do', () => {
  let fleet: FleetBroker;
  let eye: MqttClient;
  let seen: { topic: string; text: string }[];

  beforeAll(async () => {
    fleet = await FleetBroker.start({ users: USERS, config: generatedConfig });
    eye = await fleet.connect(RECORDER, { clientId: 'vk-hq-collector-test' });
    seen = recorder(eye);
    await eye.subscribeAsync('vk/v1/#', { qos: 1 });
  });
  afterAll(async () => {
    await fleet?.dispose();
  });

  /** Publishes and waits for the broker's answer; a refused QoS 1 publish is answered 0x87 in MQTT 5. */
  async function publish(client: MqttClient, to: string, text: string): Promise<'accepted' | 'refused'> {
    try {
      await client.publishAsync(to, text, { qos: 1 });
      return 'accepted';
    } catch (error) {
      if ((error as { code?: unknown }).code === NOT_AUTHORIZED) return 'refused';
      throw error;
    }
  }

  /** A message the watcher must see; everything the broker let through before it has been seen then. */
  async function barrier(client: MqttClient, to: string): Promise<void> {
    const text = `barrier-${Math.random()}`;
    expect(await publish(client, to, text)).toBe('accepted');
    await expect.poll(() => seen.some((m) => m.topic === to && m.text === text)).toBe(true);
  }

  it('(a) kiosk A cannot knock kiosk B off by connecting with B’s client id', async () => {
    const b = await fleet.connect(B.id, { clientId: B.id });
    const bClosed = closed(b);
    await fleet.connect(A.id, { clientId: B.id });
    // A's CONNACK came after the broker dealt with B's session: B's next round trip tells.
    const outcome = await Promise.race([
      b.publishAsync(topic(B, 'status'), 'online', { qos: 1 }).then(() => 'still connected' as const),
      bClosed,
    ]);
    expect(outcome).toBe('still connected');
  });

  it('(a) also on the certificate listener: A’s certificate with B’s client id leaves B connected', async () => {
    const b = await fleet.connectWithCertificate(B.id);
    const bClosed = closed(b);
    await fleet.connectWithCertificate(A.id, { clientId: B.id });
    const outcome = await Promise.race([
      b.publishAsync(topic(B, 'health'), '{}', { qos: 1 }).then(() => 'still connected' as const),
      bClosed,
    ]);
    expect(outcome).toBe('still connected');
  });

  it('(b) the relay cannot publish a command to a kiosk', async () => {
    const relay = await fleet.connect(RELAY, { clientId: 'vk-hq-relay-test' });
    const outcome = await publish(relay, topic(A, 'cmd/reboot'), '{"transactionId":"evil"}');
    await barrier(relay, `vk/v1/vipps/${A.msn}/payments/ref-1`);
    expect(seen.filter((m) => m.topic === topic(A, 'cmd/reboot'))).toEqual([]);
    expect(outcome).toBe('refused');
  });

  it('the watchers and collectors publish nothing; the relay replicas only to vk/v1/vipps/#', async () => {
    const commands = await fleet.connect(COMMANDS);
    const outcomes: Record<string, string[]> = {};
    for (const user of [WATCH, 'hq-collector-1', RELAY, 'hq-relay-2']) {
      const client = await fleet.connect(user);
      outcomes[user] = [
        await publish(client, topic(A, 'cmd/identify'), '{"forged":true}'),
        await publish(client, topic(A, 'status'), '{"forged":true}'),
        await publish(client, `vk/v1/vipps/${A.msn}/payments/ref-3`, '{"relayed":true}'),
      ];
    }
    await barrier(commands, topic(A, 'cmd/identify'));
    expect(seen.filter((m) => m.text === '{"forged":true}')).toEqual([]);
    expect(outcomes).toEqual({
      [WATCH]: ['refused', 'refused', 'refused'],
      'hq-collector-1': ['refused', 'refused', 'refused'],
      [RELAY]: ['refused', 'refused', 'accepted'],
      'hq-relay-2': ['refused', 'refused', 'accepted'],
    });
  });

  it('(c) a kiosk cannot publish to another kiosk’s topics or to its own commands', async () => {
    const a = await fleet.connect(A.id);
    const forged = [topic(B, 'status'), topic(B, 'events/checkout-completed'), topic(B, 'cmd/reboot')];
    const own = topic(A, 'cmd/maintenance');
    const outcomes = [];
    for (const to of [...forged, own, `vk/v1/vipps/${A.msn}/payments/ref-2`])
      outcomes.push(await publish(a, to, '{"forged":true}'));
    await barrier(a, topic(A, 'status'));
    expect(seen.filter((m) => m.text === '{"forged":true}')).toEqual([]);
    expect(outcomes).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
  });

  it('(d) a kiosk that subscribes to vk/v1/# receives nothing but its own commands', async () => {
    const b = await fleet.connect(B.id);
    await b.publishAsync(topic(B, 'state'), '{"screen":"idle"}', { qos: 1, retain: true });
    const a = await fleet.connect(A.id);
    const got = recorder(a);
    await a.subscribeAsync(['vk/v1/#', topic(A, 'cmd/#')], { qos: 1 });
    await b.publishAsync(topic(B, 'status'), 'online', { qos: 1 });
    const commands = await fleet.connect(COMMANDS, { clientId: 'hq-commands-test' });
    await commands.publishAsync(topic(A, 'cmd/identify'), '{"transactionId":"t-1"}', { qos: 1 });
    await expect.poll(() => got.length).toBeGreaterThan(0);
    expect(new Set(got.map((m) => m.topic))).toEqual(new Set([topic(A, 'cmd/identify')]));
  });

  it('the relay’s replicas, each its own identity, are connected at once and both publish', async () => {
    const a = await fleet.connect(A.id);
    const got = recorder(a);
    await a.subscribeAsync(`vk/v1/vipps/${A.msn}/payments/+`, { qos: 1 });
    const replicas = [RELAY, 'hq-relay-2'].map(
      (user) =>
        new RelayPublisher({
          url: fleet.broker.url,
          username: user,
          password: fleet.password(user),
          logger: silentLogger,
        }),
    );
    try {
      for (const replica of replicas) replica.start();
      await expect.poll(() => replicas.every((replica) => replica.connected)).toBe(true);
      // Each publish is acknowledged on a connection that is still up after both came in.
      await Promise.all(replicas.map((replica, i) => replica.publish(paymentEvent(`ref-replica-${i}`))));
      await expect
        .poll(() => got.map((m) => m.topic).sort())
        .toEqual([
          `vk/v1/vipps/${A.msn}/payments/ref-replica-0`,
          `vk/v1/vipps/${A.msn}/payments/ref-replica-1`,
        ]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });

  it('`webhook-relay` logs in as its own user with VK_RELAY_PASSWORD', async () => {
    const secret = join(fleet.broker.dir, 'hook-secret');
    await writeFile(secret, 'a-webhook-secret\n', { mode: 0o600 });
    const relay = start(
      [
        'webhook-relay',
        ...['--port', '0', '--host', '127.0.0.1', '--broker', fleet.broker.url, '--username', RELAY],
        ...['--secrets', join(fleet.broker.dir, 'no-secrets.json')],
        ...['--registration', `${A.msn},https://hooks.hq.example/vipps,${secret}`],
      ],
      { VK_RELAY_PASSWORD: fleet.password(RELAY), VK_HQ_PASSWORD: '' },
    );
    try {
      await waitForOutput(relay, /connected to the MQTT broker/);
    } finally {
      relay.kill('SIGTERM');
      await once(relay, 'exit');
    }
  });

  it('`hq watch` reads the fleet as a watch identity although the broker replaces its client id', async () => {
    const b = await fleet.connect(B.id);
    await b.publishAsync(topic(B, 'status'), JSON.stringify({ state: 'online' }), { qos: 1, retain: true });
    const watched = await run(
      ['hq', 'watch', '--broker', fleet.broker.url, '--username', WATCH, '--once', '0.5'],
      { VK_HQ_PASSWORD: fleet.password(WATCH) },
    );
    expect(watched.code, watched.output).toBe(0);
    expect(watched.output).toMatch(/oslo-1\s+kiosk-08\s+online/);
  });
});

describeWithMosquitto('without use_username_as_clientid, the same broker files', () => {
  let fleet: FleetBroker;

  beforeAll(async () => {
    fleet = await FleetBroker.start({
      users: USERS,
      config: async (broker) =>
        (await generatedConfig(broker)).replaceAll('use_username_as_clientid true', ''),
    });
  });
  afterAll(async () => {
    await fleet?.dispose();
  });

  it('let kiosk A knock kiosk B off with B’s client id: that line is what stops it', async () => {
    const b = await fleet.connect(B.id, { clientId: B.id });
    const bClosed = closed(b);
    await fleet.connect(A.id, { clientId: B.id });
    expect(await bClosed).toBe('closed');
  });

  it('and on the certificate listener too', async () => {
    const b = await fleet.connectWithCertificate(B.id);
    const bClosed = closed(b);
    await fleet.connectWithCertificate(A.id, { clientId: B.id });
    expect(await bClosed).toBe('closed');
  });
});

function paymentEvent(reference: string): RelayedEvent {
  return relayedEvent({
    msn: A.msn,
    reference,
    pspReference: `psp-${reference}`,
    name: 'AUTHORIZED',
    amount: { currency: 'NOK', value: 100 },
    timestamp: new Date(0).toISOString(),
    success: true,
  });
}
