import { connectAsync, type MqttClient } from 'mqtt';
import { sendSmallPacketsAtOnce } from '../common/mqtt/transport.js';
import type {
  EventEnvelope,
  EventPayloads,
  EventType,
  HealthPayload,
  StatePayload,
  StatusPayload,
} from '../contracts/telemetry.js';
import { EVENT_CLASSES } from '../contracts/telemetry.js';
import { clientIdFor, type DeviceTopics, deviceTopics } from '../contracts/topics.js';

// One simulated kiosk for the fleet benchmark: a plain MQTT client that publishes what a kiosk does
// (contracts/asyncapi.yaml): `online` status (retained, with its last will `offline`) and its retained
// state on every connect, health at QoS 0, and events at QoS 1 from an outbox that keeps each event
// until its PUBACK and sends what is left again on the next connection, with the same id (so a lost
// PUBACK makes a duplicate for HQ to absorb). The payloads are typed by contracts/telemetry.ts.

export interface BrokerLogin {
  url: string;
  username: string;
  password: string;
}

let counter = 0;
/** A ULID-shaped id (26 lower-case Crockford characters), unique in this process. */
function ulid(): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = alphabet[time % 32] + head;
    time = Math.floor(time / 32);
  }
  let tail = '';
  let n = ++counter;
  for (let i = 0; i < 16; i++) {
    tail = alphabet[n % 32] + tail;
    n = Math.floor(n / 32);
  }
  return head + tail;
}

const STATE: StatePayload = {
  screen: 'attract',
  machineState: 'idle',
  vippsReachable: true,
  basketItems: 0,
  recovery: null,
  leds: { status: 'green', blink: false },
  scannerAttached: true,
};

export class SimulatedKiosk {
  readonly topics: DeviceTopics;
  private client: MqttClient | undefined;
  private session = 0;
  private receipts = 0;
  private outboxDepth = 0;
  private readonly bootId = ulid();
  private readonly startedAt = new Date().toISOString();
  private state: StatePayload = STATE;
  /** Events published and not yet acknowledged by the broker: sent again on the next connection. */
  private readonly outbox = new Map<string, { topic: string; text: string }>();

  constructor(
    readonly site: string,
    readonly device: string,
    private readonly broker: BrokerLogin,
    /** Called once per event when it is made: its id, the moment, and whether it went out at once. */
    private readonly onPublish: (id: string, at: number, live: boolean) => void,
  ) {
    this.topics = deviceTopics(site, device);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get waiting(): number {
    return this.outbox.size;
  }

  private status(state: 'online' | 'offline'): string {
    const status: StatusPayload = {
      state,
      version: 'bench',
      bootId: this.bootId,
      startedAt: this.startedAt,
      session: this.session,
    };
    return JSON.stringify(status);
  }

  /** Connects, announces itself and sends its outbox again. */
  async connect(): Promise<void> {
    this.session += 1;
    const client = await connectAsync(this.broker.url, {
      clientId: clientIdFor(this.site, this.device),
      username: this.broker.username,
      password: this.broker.password,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      will: {
        topic: this.topics.status,
        payload: Buffer.from(this.status('offline')),
        qos: 1,
        retain: true,
      },
    });
    client.on('error', () => {});
    // As the kiosk's own link does (common/mqtt/link.ts): no Nagle delay on its small packets.
    sendSmallPacketsAtOnce(client);
    this.client = client;
    this.publish(this.topics.status, this.status('online'), 1, true);
    this.publish(this.topics.state, JSON.stringify(this.state), 1, true);
    for (const [id, { topic, text }] of this.outbox) this.send(id, topic, text);
  }

  /** The connection lost at once (a cable pulled): the broker sends the last will. */
  drop(): void {
    this.client?.end(true);
    this.client = undefined;
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true).catch(() => {});
    this.client = undefined;
  }

  /** A customer at the kiosk: a sale most times, else a decline or a cancel; the screen changes. */
  checkout(roll: number): void {
    this.receipts += 1;
    const receiptNumber = String(this.receipts).padStart(10, '0');
    const reference = `${this.device}-${receiptNumber}-1`;
    const amount = 2_490 + (this.receipts % 50) * 100;
    if (roll < 0.85)
      this.event('checkout-completed', {
        reference,
        receiptNumber,
        amount,
        currency: 'NOK',
        items: 1 + (this.receipts % 4),
        vat: [{ rate: 1500, amount: Math.round(amount - amount / 1.15) }],
        memberSavings: 0,
      });
    else if (roll < 0.95) this.event('checkout-declined', { reference, reason: 'rejected', amount });
    else this.event('checkout-cancelled', { reference, amount });
    if (roll < 0.2) this.event('club-enrolment', { outcome: 'joined', basketSavings: 0 });
    this.state = { ...this.state, screen: this.state.screen === 'attract' ? 'basket' : 'attract' };
    this.publish(this.topics.state, JSON.stringify(this.state), 1, true);
  }

  health(uptimeSeconds: number): void {
    const health: HealthPayload = {
      uptimeSeconds,
      rssMb: 82,
      heapMb: 24,
      eventLoopDelayMs: { p50: 0.3, p99: 4.1 },
      load: [0.2, 0.25, 0.2],
      socTemperatureC: 51.2,
      stateDirFreeMb: 2048,
      outboxDepth: this.outboxDepth,
      degraded: false,
      mqttReconnects: Math.max(0, this.session - 1),
      scansRead: this.receipts,
      vipps: { calls: this.receipts * 3, failures: 0, p50Ms: 140, p95Ms: 420 },
    };
    // QoS 0 and not queued while offline, as the kiosk sends it.
    if (this.connected) this.publish(this.topics.health, JSON.stringify(health), 0, false);
  }

  private event<T extends EventType>(type: T, payload: EventPayloads[T]): void {
    const envelope = {
      id: ulid(),
      type,
      class: EVENT_CLASSES[type],
      at: new Date().toISOString(),
      payload,
    } as EventEnvelope<T>;
    const topic = this.topics.event(type);
    const text = JSON.stringify(envelope);
    this.outbox.set(envelope.id, { topic, text });
    this.outboxDepth = this.outbox.size;
    this.onPublish(envelope.id, performance.now(), this.connected);
    if (this.connected) this.send(envelope.id, topic, text);
  }

  private send(id: string, topic: string, text: string): void {
    const client = this.client;
    client?.publish(topic, text, { qos: 1 }, (error) => {
      // Acknowledged: out of the outbox. Not: it stays, for the next connection.
      if (!error) this.outbox.delete(id);
      this.outboxDepth = this.outbox.size;
    });
  }

  private publish(topic: string, text: string, qos: 0 | 1, retain: boolean): void {
    this.client?.publish(topic, text, { qos, retain }, () => {});
  }
}
