import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from '../../common/backoff.js';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import { redactUrl, sendSmallPacketsAtOnce } from '../../common/mqtt/transport.js';
import { clientIdFor, type DeviceTopics, deviceTopics } from '../../contracts/topics.js';
import { newEventId } from './event-id.js';
import type { EventClass, OutboxEvent, SqliteOutbox } from './outbox.js';
import { assertNoPersonalData, PersonalDataInTelemetryError } from './payload-guard.js';

export interface TelemetryTls {
  /** PEM of the CA that signed the broker's certificate. */
  ca?: string | Buffer;
  /** PEM client certificate and key: the broker maps the certificate to the device (use_identity_as_username). */
  cert?: string | Buffer;
  key?: string | Buffer;
  servername?: string;
}

export interface TelemetryPublisherOptions {
  /** `mqtt://host:1883` or `mqtts://host:8883`. */
  url: string;
  site: string;
  device: string;
  /** The kiosk software version, in the `status` payload. */
  version: string;
  outbox: SqliteOutbox;
  logger?: Logger;
  username?: string;
  password?: string;
  tls?: TelemetryTls;
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
   * What to do with a payload carrying personal data (see payload-guard.ts). `drop` (production): log
   * the refusal without the data and publish nothing — telemetry must never break a checkout. `throw`
   * (tests, development): throw {@link PersonalDataInTelemetryError} so the bug is found where it is made.
   */
  onPersonalData?: 'drop' | 'throw';
  /**
   * HQ's commands (`cmd/{name}`, JSON with a `transactionId`): the answer goes to `resp/{name}` with the
   * same transaction id. Throw a CommandRefusedError to answer with an error; nothing else happens then.
   */
  onCommand?: (name: string, request: Record<string, unknown>) => Promise<Record<string, unknown>>;
  now?: () => number;
}

/** A command HQ sent that the kiosk will not carry out; the message goes back in the response. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';
}

function refusal(error: unknown): string {
  if (error instanceof CommandRefusedError) return error.message;
  if (error instanceof SyntaxError) return 'not JSON';
  return 'the kiosk could not carry out the command';
}

export interface TelemetryStats {
  connected: boolean;
  /** Successful connections since start (the `session` number in `status`). */
  sessions: number;
  outboxDepth: number;
  outboxDegraded: boolean;
  inflight: number;
  eventsAcked: number;
  statesPublished: number;
  refusedPayloads: number;
  /** 5, or 4 once a broker turned MQTT 5 down and the kiosk fell back to 3.1.1. */
  protocolVersion: 4 | 5;
}

/**
 * The broker turned the protocol version down: a 3.1.1 broker answers a version-5 CONNECT with return
 * code 1 (Mosquitto 1.x, aedes), a version-5 broker configured without it with reason code 132.
 */
function protocolRefused(error: Error): boolean {
  const code = (error as Error & { code?: unknown }).code;
  return code === 1 || code === 132;
}

/**
 * The kiosk's MQTT link to HQ: presence (`status` + last will), the retained `state`, and events
 * drained from the durable outbox. `start()` returns at once and connects in the background; nothing a
 * caller does waits on the broker.
 *
 * Connection handling, and why it is not MQTT.js' own:
 * - One fresh MQTT.js client per connection attempt, `reconnectPeriod: 0`, and our own timer with
 *   exponential backoff + jitter (MQTT.js only retries on a fixed interval). A fresh client also means
 *   MQTT.js never re-sends packets from its in-memory store behind our back: the outbox is the only
 *   source of what gets (re)published, and each connection drains it from the head.
 * - `clean: false` with a short Session Expiry (will delay + 30 s). MQTT 5 publishes the will when the
 *   session *ends* even if the will delay has not passed, so with a session that ends at disconnect
 *   (clean start, expiry 0) the will delay would do nothing. Resuming the session within the delay is
 *   what tells the broker "no outage". The session is kept short so the broker holds no state for a dead
 *   kiosk and no stale HQ command waits a long time for it; durability lives in the outbox, not in the
 *   broker session. (Mosquitto 2.0 delays the will even for a session that ends at once; EMQX and
 *   HiveMQ follow the spec, so the expiry matters in production even though the Mosquitto tests cannot
 *   show it.)
 */
export class TelemetryPublisher {
  readonly topics: DeviceTopics;
  readonly bootId: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly backoff: Backoff;
  private readonly startedAt: string;

  private client: MqttClient | undefined;
  private generation = 0;
  private started = false;
  private stopping = false;
  private connected = false;
  private connectedAt = 0;
  private sessions = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private protocol: 4 | 5;
  /** The broker refused MQTT 5 just now: the next attempt, in 3.1.1, goes at once. */
  private retryAtOnce = false;

  // Events: the seq of the last event handed to the client on this connection, and those awaiting PUBACK.
  private cursor = 0;
  private readonly inflight = new Set<string>();
  private tokens = 0;
  private tokensAt = 0;
  private drainTimer: NodeJS.Timeout | undefined;
  private eventsAcked = 0;

  // State: the latest wanted, the latest the broker has, and when it was sent.
  private stateWanted: string | undefined;
  private stateSent: string | undefined;
  private stateSentAt = Number.NEGATIVE_INFINITY;
  private stateTimer: NodeJS.Timeout | undefined;
  private statesPublished = 0;
  private refusedPayloads = 0;

  // Topics subscribed to besides commands (relayed webhooks), renewed on every connect.
  private readonly subscriptions = new Map<string, (payload: Buffer) => void>();

  constructor(private readonly options: TelemetryPublisherOptions) {
    this.topics = deviceTopics(options.site, options.device);
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    this.bootId = newEventId();
    this.startedAt = new Date(this.now()).toISOString();
    this.protocol = options.protocolVersion ?? 5;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.connectNow();
  }

  /** Publishes `offline` (the will is not sent on a clean disconnect) and disconnects. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.started = false;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.drainTimer);
    clearTimeout(this.stateTimer);
    // A stale handle would make drain()/flushState() think a timer is pending after a later start().
    this.reconnectTimer = this.drainTimer = this.stateTimer = undefined;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (this.connected) {
      await withTimeout(
        client.publishAsync(
          this.topics.status,
          JSON.stringify(this.statusPayload('offline', this.sessions)),
          {
            qos: 1,
            retain: true,
          },
        ),
        2_000,
      ).catch(() => {});
      await withTimeout(client.endAsync(false), 2_000).catch(() => client.end(true));
    } else {
      client.end(true);
    }
    this.connected = false;
    this.inflight.clear();
  }

  /**
   * Writes the event to the outbox (committed before this returns) and lets the drain publish it. Returns
   * the stored event, or `undefined` when the payload was refused for personal data in `drop` mode.
   */
  event(type: string, payload: Record<string, unknown>, eventClass: EventClass): OutboxEvent | undefined {
    // The type is checked too: it becomes a topic level, and a topic is as public as a payload.
    if (!this.passesGuard(this.topics.event(type), { type, payload })) return undefined;
    const stored = this.options.outbox.enqueue({ type, class: eventClass, payload });
    this.drain();
    return stored;
  }

  /**
   * The retained `state`: published only when it differs from the last one, at most once per
   * `stateMinIntervalMs` (the latest wins), and again on every connect, because a broker without
   * persistence forgets retained messages when it restarts (z2m #9629).
   */
  publishState(state: Record<string, unknown>): void {
    if (!this.passesGuard(this.topics.state, state)) return;
    const text = JSON.stringify(state);
    if (text === this.stateWanted) return;
    this.stateWanted = text;
    this.flushState();
  }

  /** A health sample: QoS 0, not retained, not queued (a sample from an outage is worth nothing later). */
  publishHealth(sample: Record<string, unknown>): boolean {
    if (!this.passesGuard(this.topics.health, sample)) return false;
    if (!this.connected || !this.client) return false;
    this.client.publish(this.topics.health, JSON.stringify(sample), { qos: 0, retain: false });
    return true;
  }

  /**
   * Subscribes to one exact topic (QoS 1) and resolves once the broker granted it (SUBACK). Rejects when
   * not connected, when the broker refuses (ACL), or after `timeoutMs`; the subscription is still kept
   * and renewed on every connect until `unsubscribe`, so a later connection delivers what comes then.
   */
  async subscribe(topic: string, onMessage: (payload: Buffer) => void, timeoutMs = 2_000): Promise<void> {
    this.subscriptions.set(topic, onMessage);
    const client = this.client;
    if (!this.connected || !client) throw new Error('not connected to the MQTT broker');
    const granted = await withTimeout(client.subscribeAsync(topic, { qos: 1 }), timeoutMs);
    const code = granted[0]?.qos;
    // Every failure code of a SUBACK is 0x80 or above (0x87: not authorized by the broker's ACL).
    if (code === undefined || code >= 0x80)
      throw new Error(
        `the MQTT broker refused the subscription to ${topic} (code 0x${(code ?? 0x80).toString(16)})`,
      );
  }

  unsubscribe(topic: string): void {
    if (!this.subscriptions.delete(topic)) return;
    if (this.connected && this.client) this.client.unsubscribe(topic);
  }

  stats(): TelemetryStats {
    return {
      connected: this.connected,
      sessions: this.sessions,
      outboxDepth: this.options.outbox.depth(),
      outboxDegraded: this.options.outbox.overThreshold(),
      inflight: this.inflight.size,
      eventsAcked: this.eventsAcked,
      statesPublished: this.statesPublished,
      refusedPayloads: this.refusedPayloads,
      protocolVersion: this.protocol,
    };
  }

  private passesGuard(topic: string, payload: unknown): boolean {
    try {
      assertNoPersonalData(topic, payload);
      return true;
    } catch (error) {
      if (!(error instanceof PersonalDataInTelemetryError) || this.options.onPersonalData === 'throw')
        throw error;
      this.refusedPayloads += 1;
      // The message names the field and the rule, never the value: safe to log.
      this.logger.error(error.message, { topic: error.topic, field: error.path, rule: error.rule });
      return false;
    }
  }

  // ---- connection ----

  private clientOptions(): IClientOptions {
    const v5 = this.protocol === 5;
    const willDelay = Math.max(0, Math.round(this.options.willDelaySeconds ?? 30));
    const will: IClientOptions['will'] = {
      topic: this.topics.status,
      // Built before the CONNACK, so it carries the number this connection will get.
      payload: Buffer.from(JSON.stringify(this.statusPayload('offline', this.sessions + 1))),
      qos: 1,
      retain: true,
      ...(v5 ? { properties: { willDelayInterval: willDelay } } : {}),
    };
    const tls = this.options.tls;
    // A new object each time: MQTT.js mutates its options, and a shared object has made two clients
    // share one id before (MQTT.js #1585).
    return {
      clientId: clientIdFor(this.options.site, this.options.device),
      protocolVersion: v5 ? 5 : 4,
      // 3.1.1 has no session expiry: a persistent session there would live forever, so start clean.
      clean: !v5,
      ...(v5
        ? { properties: { sessionExpiryInterval: willDelay + 30, requestProblemInformation: true } }
        : {}),
      reconnectPeriod: 0,
      connectTimeout: this.options.connectTimeoutMs ?? 10_000,
      keepalive: this.options.keepaliveSeconds ?? 30,
      queueQoSZero: false,
      resubscribe: false,
      will,
      ...(this.options.username !== undefined ? { username: this.options.username } : {}),
      ...(this.options.password !== undefined ? { password: this.options.password } : {}),
      ...(tls?.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls?.cert !== undefined ? { cert: tls.cert } : {}),
      ...(tls?.key !== undefined ? { key: tls.key } : {}),
      ...(tls?.servername !== undefined ? { servername: tls.servername } : {}),
      rejectUnauthorized: true,
    };
  }

  private connectNow(): void {
    const generation = ++this.generation;
    const client = connect(this.options.url, this.clientOptions());
    this.client = client;
    client.on('connect', () => {
      if (generation === this.generation) this.onConnect(client);
    });
    client.on('close', () => {
      if (generation === this.generation) this.onClose(client);
    });
    client.on('error', (error) => {
      if (generation === this.generation && this.protocol === 5 && protocolRefused(error)) {
        this.protocol = 4;
        this.retryAtOnce = true;
        this.logger.warn('the MQTT broker does not take MQTT 5; using MQTT 3.1.1 (no will delay there)', {
          url: redactUrl(this.options.url),
        });
        return;
      }
      // Refused CONNACKs (bad password: "Not authorized") and socket errors; `close` follows.
      if (generation === this.generation && !this.stopping)
        this.logger.warn('MQTT broker connection failed', {
          url: redactUrl(this.options.url),
          error: error.message,
        });
    });
  }

  private onConnect(client: MqttClient): void {
    sendSmallPacketsAtOnce(client);
    this.connected = true;
    this.connectedAt = this.now();
    this.sessions += 1;
    this.cursor = 0;
    this.inflight.clear();
    this.logger.info('connected to the MQTT broker', {
      url: redactUrl(this.options.url),
      session: this.sessions,
    });
    // Presence first, on every connect: a broker restart without persistence forgets retained messages.
    client.publish(this.topics.status, JSON.stringify(this.statusPayload('online', this.sessions)), {
      qos: 1,
      retain: true,
    });
    if (this.stateWanted !== undefined) {
      this.stateSent = undefined; // republish whatever the broker had
      this.stateSentAt = Number.NEGATIVE_INFINITY;
      this.flushState();
    }
    client.on('message', (topic, payload) => this.onMessage(client, topic, payload));
    if (this.options.onCommand) client.subscribe(this.topics.commandFilter, { qos: 1 });
    if (this.subscriptions.size > 0) client.subscribe([...this.subscriptions.keys()], { qos: 1 });
    this.drain();
  }

  private onMessage(client: MqttClient, topic: string, payload: Buffer): void {
    const subscriber = this.subscriptions.get(topic);
    if (subscriber) {
      subscriber(payload);
      return;
    }
    // Only command topics are answered: a resumed session may still deliver a topic dropped since.
    if (this.options.onCommand && topic.startsWith(this.topics.commandFilter.slice(0, -1)))
      void this.answerCommand(client, topic, payload);
  }

  private async answerCommand(client: MqttClient, topic: string, payload: Buffer): Promise<void> {
    const name = topic.slice(topic.lastIndexOf('/') + 1);
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(payload.toString()) as Record<string, unknown>;
      if (request === null || typeof request !== 'object' || typeof request.transactionId !== 'string') {
        throw new CommandRefusedError('expected a JSON object with a string "transactionId"');
      }
    } catch (error) {
      return this.respond(client, name, { transactionId: null, ok: false, error: refusal(error) });
    }
    const { transactionId } = request;
    try {
      const result = await this.options.onCommand!(name, request);
      this.respond(client, name, { transactionId, ok: true, result });
    } catch (error) {
      this.respond(client, name, { transactionId, ok: false, error: refusal(error) });
    }
  }

  private respond(client: MqttClient, name: string, answer: Record<string, unknown>): void {
    let topic: string;
    try {
      topic = this.topics.response(name);
    } catch {
      return; // a command name we cannot even answer on (`+`, `#`): the broker would not have routed it
    }
    if (!this.passesGuard(topic, answer)) return;
    client.publish(topic, JSON.stringify(answer), { qos: 1 });
  }

  private onClose(client: MqttClient): void {
    const wasConnected = this.connected;
    this.connected = false;
    this.inflight.clear(); // unacknowledged events stay in the outbox and go again on the next connection
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    client.removeAllListeners('connect');
    client.removeAllListeners('close');
    client.on('error', () => {}); // a late socket error of a dead client must not crash the daemon
    client.end(true);
    if (this.stopping || !this.started) return;
    if (wasConnected && this.now() - this.connectedAt >= (this.options.stableAfterMs ?? 10_000))
      this.backoff.reset();
    const delay = this.retryAtOnce ? 0 : this.backoff.next();
    this.retryAtOnce = false;
    if (wasConnected)
      this.logger.warn('lost the MQTT broker; events wait in the outbox', {
        retryInMs: delay,
        outbox: this.options.outbox.depth(),
      });
    this.reconnectTimer = setTimeout(() => this.connectNow(), delay);
  }

  private statusPayload(state: 'online' | 'offline', session: number): Record<string, unknown> {
    return {
      state,
      version: this.options.version,
      bootId: this.bootId,
      startedAt: this.startedAt,
      // Like Sparkplug's bdSeq: HQ can tell a late will of an older session from the current one.
      session,
    };
  }

  // ---- state ----

  private flushState(): void {
    if (this.stateWanted === undefined || this.stateWanted === this.stateSent) return;
    if (!this.connected || !this.client || this.stateTimer) return;
    const wait = this.stateSentAt + (this.options.stateMinIntervalMs ?? 2_000) - this.now();
    if (wait > 0) {
      this.stateTimer = setTimeout(() => {
        this.stateTimer = undefined;
        this.flushState();
      }, wait);
      return;
    }
    const text = this.stateWanted;
    this.stateSent = text;
    this.stateSentAt = this.now();
    this.statesPublished += 1;
    this.client.publish(this.topics.state, text, { qos: 1, retain: true });
  }

  // ---- events ----

  /** Publishes outbox events in order, at most `maxInflight` unacknowledged, at most `eventsPerSecond`. */
  private drain(): void {
    if (!this.connected || !this.client || this.drainTimer) return;
    const client = this.client;
    const generation = this.generation;
    const rate = this.options.eventsPerSecond ?? 50;
    const maxInflight = this.options.maxInflight ?? 10;
    const now = this.now();
    this.tokens = Math.min(maxInflight, this.tokens + ((now - this.tokensAt) * rate) / 1000);
    this.tokensAt = now;
    const room = Math.min(maxInflight - this.inflight.size, Math.floor(this.tokens));
    if (room <= 0) {
      if (this.inflight.size < maxInflight) {
        // Out of tokens, not of window: come back when the next token is due.
        const due = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / rate));
        this.drainTimer = setTimeout(() => {
          this.drainTimer = undefined;
          this.drain();
        }, due);
      }
      return; // a full window resumes on the next PUBACK
    }
    for (const event of this.options.outbox.next(room, this.cursor)) {
      this.cursor = event.seq;
      this.tokens -= 1;
      this.inflight.add(event.id);
      client.publish(this.topics.event(event.type), JSON.stringify(envelope(event)), { qos: 1 }, (error) =>
        this.onPuback(generation, event, error),
      );
    }
  }

  private onPuback(generation: number, event: OutboxEvent, error: Error | undefined): void {
    if (generation !== this.generation || !this.inflight.delete(event.id)) return;
    if (error) {
      // The broker refused it (a PUBACK reason code, e.g. not authorized): keep it, drop the connection,
      // and retry from the head after the backoff — a field tech sees this in the log until the ACL is fixed.
      this.logger.error('the MQTT broker refused an event; it stays in the outbox', {
        type: event.type,
        id: event.id,
        error: error.message,
      });
      this.client?.end(true);
      return;
    }
    this.options.outbox.ack(event.id);
    this.eventsAcked += 1;
    this.drain();
  }
}

/** What HQ receives for an event: the id to de-duplicate by, the type, the class, when, and the payload. */
function envelope(event: OutboxEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    class: event.class,
    at: new Date(event.createdAt).toISOString(),
    payload: event.payload,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
