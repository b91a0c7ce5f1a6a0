import type { BackoffOptions } from '../../common/backoff.js';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import { MqttLink, type MqttTls } from '../../common/mqtt/link.js';
import type { FileChunk } from '../../contracts/file-transfer.js';
import type { TelemetryLinkStats } from '../../contracts/telemetry.js';
import { clientIdFor, type DeviceTopics, deviceTopics } from '../../contracts/topics.js';
import { type CommandHandler, type CommandTrust, HqCommandResponder } from './hq-command-responder.js';
import type { EventClass, Outbox, OutboxEvent } from './outbox.js';
import { OutboxDrain } from './outbox-drain.js';
import { PayloadGuard } from './payload-guard.js';
import { Presence } from './presence.js';
import { RetainedState } from './retained-state.js';
import { TopicSubscriptions } from './topic-subscriptions.js';

export interface TelemetryPublisherOptions {
  /** `mqtt://host:1883` or `mqtts://host:8883`. */
  url: string;
  site: string;
  device: string;
  /** The kiosk software version, in the `status` payload. */
  version: string;
  outbox: Outbox;
  logger?: Logger;
  username?: string | undefined;
  password?: string | undefined;
  /** CA, and the client certificate the broker maps to the device (use_identity_as_username). */
  tls?: MqttTls | undefined;
  /** 5 by default; 4 (3.1.1) for a broker without MQTT 5 — then no will delay. */
  protocolVersion?: 4 | 5;
  /** How long the broker waits after a lost connection before publishing `offline` (a blip is not an outage). */
  willDelaySeconds?: number;
  /** At most one retained `state` per this many ms; changes in between are coalesced to the latest. */
  stateMinIntervalMs?: number;
  /** Events drained from the outbox per second at most, so a backlog after an outage does not flood HQ. */
  eventsPerSecond?: number;
  /** Events published and not yet acknowledged (PUBACK) at most. */
  maxInflight?: number;
  backoff?: BackoffOptions;
  /** A connection that lasted this long resets the backoff; one kicked at once keeps backing off. */
  stableAfterMs?: number;
  connectTimeoutMs?: number;
  keepaliveSeconds?: number;
  /**
   * What to do with a payload carrying personal data (see payload-guard.ts): `drop` (production) logs
   * and publishes nothing, `throw` (tests, development) throws PersonalDataInTelemetryError.
   */
  onPersonalData?: 'drop' | 'throw';
  now?: () => number;
}

/**
 * The kiosk's MQTT link to HQ, put together from one part per job: the connection (common/mqtt/link.ts:
 * backoff, 5 → 3.1.1 fallback), presence and the last will (presence.ts), the retained state
 * (retained-state.ts), events drained from the durable outbox (outbox-drain.ts), the relayed webhook
 * topics (topic-subscriptions.ts) and HQ's commands (hq-command-responder.ts). Every payload passes the
 * personal-data guard first. `start()` returns at once and connects in the background; nothing a caller
 * does waits on the broker.
 */
export class TelemetryPublisher {
  readonly topics: DeviceTopics;
  /** The connection itself, for what only it knows (tests cut it to play a lost link). */
  readonly link: MqttLink;
  private readonly logger: Logger;
  private readonly guard: PayloadGuard;
  private readonly presence: Presence;
  private readonly state: RetainedState;
  private readonly drain: OutboxDrain;
  private readonly subscriptions: TopicSubscriptions;
  private commands: HqCommandResponder | undefined;

  constructor(private readonly options: TelemetryPublisherOptions) {
    const now = options.now ?? Date.now;
    const topics = deviceTopics(options.site, options.device);
    this.topics = topics;
    this.logger = options.logger ?? silentLogger;
    this.guard = new PayloadGuard(options.onPersonalData ?? 'drop', this.logger);
    this.presence = new Presence({
      topic: topics.status,
      version: options.version,
      ...(options.willDelaySeconds !== undefined ? { willDelaySeconds: options.willDelaySeconds } : {}),
      now,
    });
    this.link = new MqttLink({
      url: options.url,
      username: options.username,
      password: options.password,
      tls: options.tls,
      clientId: clientIdFor(options.site, options.device),
      protocolVersion: options.protocolVersion ?? 5,
      session: (protocol, session) => this.presence.session(protocol, session),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.stableAfterMs !== undefined ? { stableAfterMs: options.stableAfterMs } : {}),
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.keepaliveSeconds !== undefined ? { keepaliveSeconds: options.keepaliveSeconds } : {}),
      logger: this.logger,
      now,
      events: {
        connected: (client, session) => {
          // Presence first, on every connect: a broker restart without persistence forgets retained messages.
          this.presence.announce(client, session);
          this.state.connected();
          this.commands?.listen(client);
          this.subscriptions.renew(client);
          this.drain.connected();
        },
        message: (topic, payload, packet) => {
          const client = this.link.client;
          if (this.subscriptions.deliver(topic, payload) || !client) return;
          this.commands?.offer(client, topic, payload, packet.retain);
        },
        lost: (retryInMs) => {
          this.drain.stop();
          this.logger.warn('lost the MQTT broker; events wait in the outbox', {
            retryInMs,
            outbox: options.outbox.depth(),
          });
        },
      },
    });
    this.state = new RetainedState(this.link, {
      topic: topics.state,
      ...(options.stateMinIntervalMs !== undefined ? { minIntervalMs: options.stateMinIntervalMs } : {}),
      now,
    });
    this.drain = new OutboxDrain(this.link, options.outbox, {
      topic: topics.event,
      ...(options.eventsPerSecond !== undefined ? { eventsPerSecond: options.eventsPerSecond } : {}),
      ...(options.maxInflight !== undefined ? { maxInflight: options.maxInflight } : {}),
      logger: this.logger,
      now,
    });
    this.subscriptions = new TopicSubscriptions(this.link);
  }

  /**
   * Answers HQ's signed commands (`cmd/{name}`, contracts/hq-command.ts) with `handler`, on
   * `resp/{name}` with the same transaction id; a CommandRefusedError thrown is answered as an error and
   * nothing else happens. Only commands signed by one of `trust.keys()`, for this kiosk, fresh and
   * never seen by `trust.nonces` are handed to `handler`. Call it before `start`: the composition root
   * hands it over once the parts the commands act on exist.
   */
  answerCommands(handler: CommandHandler, trust: Pick<CommandTrust, 'keys' | 'nonces'>): void {
    this.commands = new HqCommandResponder(
      this.topics,
      handler,
      (topic, payload) => this.guard.passes(topic, payload),
      {
        ...trust,
        site: this.options.site,
        device: this.options.device,
        now: this.options.now ?? Date.now,
        logger: this.logger,
      },
    );
  }

  /** Identifies this run of the kiosk in every `status` (and the will). */
  get bootId(): string {
    return this.presence.bootId;
  }

  start(): void {
    this.link.start();
  }

  /** Publishes `offline` (the will is not sent on a clean disconnect) and disconnects. */
  async stop(): Promise<void> {
    this.drain.stop();
    this.state.stop();
    await this.link.stop((client) => this.presence.farewell(client, this.link.sessionCount));
  }

  /**
   * Writes the event to the outbox (committed before this returns) and lets the drain publish it. Returns
   * the stored event, or `undefined` when the payload was refused for personal data in `drop` mode.
   */
  event(type: string, payload: Record<string, unknown>, eventClass: EventClass): OutboxEvent | undefined {
    // The type is checked too: it becomes a topic level, and a topic is as public as a payload.
    if (!this.guard.passes(this.topics.event(type), { type, payload })) return undefined;
    const stored = this.options.outbox.enqueue({ type, class: eventClass, payload });
    this.drain.drain();
    return stored;
  }

  /** The retained `state`, coalesced (see retained-state.ts). */
  publishState(state: Record<string, unknown>): void {
    if (!this.guard.passes(this.topics.state, state)) return;
    this.state.set(JSON.stringify(state));
  }

  /** A health sample: QoS 0, not retained, not queued (a sample from an outage is worth nothing later). */
  publishHealth(sample: Record<string, unknown>): boolean {
    if (!this.guard.passes(this.topics.health, sample)) return false;
    const client = this.link.client;
    if (!client) return false;
    client.publish(this.topics.health, JSON.stringify(sample), { qos: 0, retain: false });
    return true;
  }

  /**
   * A file HQ's command asked for, chunk by chunk on `files/{transactionId}` (contracts/file-transfer.ts):
   * QoS 1, never retained, each acknowledged by the broker before the next, so they arrive in order and
   * before the command's answer. Not through the outbox: HQ is waiting for it now, and asks again if the
   * link drops (this throws). The guard sees what each chunk says of itself; its data is gzip of a file
   * the caller vouches for (the SAF-T file: the cash-register journal, which never holds a customer).
   */
  async sendFile(transactionId: string, chunks: readonly FileChunk[]): Promise<void> {
    const topic = this.topics.file(transactionId);
    for (const chunk of chunks) {
      const { data: _gzipped, ...said } = chunk;
      if (!this.guard.passes(topic, said)) throw new Error(`the file for ${transactionId} was refused`);
      const client = this.link.client;
      if (!client || !this.link.connected)
        throw new Error(`the MQTT link was lost at chunk ${chunk.index + 1} of ${chunk.count}; ask again`);
      await client.publishAsync(topic, JSON.stringify(chunk), { qos: 1, retain: false });
    }
  }

  /** See TopicSubscriptions.subscribe: resolves on the broker's grant, and is renewed on every connect. */
  subscribe(topic: string, onMessage: (payload: Buffer) => void, timeoutMs = 2_000): Promise<void> {
    return this.subscriptions.subscribe(topic, onMessage, timeoutMs);
  }

  unsubscribe(topic: string): void {
    this.subscriptions.unsubscribe(topic);
  }

  stats(): TelemetryLinkStats {
    return {
      connected: this.link.connected,
      sessions: this.link.sessionCount,
      outboxDepth: this.options.outbox.depth(),
      outboxDegraded: this.options.outbox.overThreshold(),
      inflight: this.drain.inflightCount,
      eventsAcked: this.drain.eventsAcked,
      statesPublished: this.state.published,
      refusedPayloads: this.guard.refused,
      refusedCommands: this.commands?.refused ?? 0,
      protocolVersion: this.link.protocolVersion,
    };
  }
}
