import { readFileSync } from 'node:fs';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from '../backoff.js';
import { type Logger, silentLogger } from '../log/logger.js';
import { redactUrl, sendSmallPacketsAtOnce } from './transport.js';

// The one way our programs connect to an MQTT broker: the kiosk's link to HQ, the webhook relay's
// publisher, `hq watch` and the self-test/provisioning login (broker-connection.ts) all go through it.

/** TLS for mqtts://: PEM contents. With a client certificate the broker maps it to the user. */
export interface MqttTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  servername?: string;
}

/** TLS files as configured (the kiosk's telemetry.caFile, certFile, keyFile). */
export interface MqttTlsFiles {
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
}

/**
 * Reads each configured TLS file. A client certificate without a CA file is still sent (the system's
 * CAs then verify the broker); undefined only when no file is configured at all.
 */
export function readTlsFiles(files: MqttTlsFiles): MqttTls | undefined {
  const tls: MqttTls = {};
  if (files.caFile) tls.ca = readFileSync(files.caFile);
  if (files.certFile) tls.cert = readFileSync(files.certFile);
  if (files.keyFile) tls.key = readFileSync(files.keyFile);
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** Where a broker is and who logs in. */
export interface BrokerEndpoint {
  /** `mqtt://host:1883`, `mqtts://host:8883`, ws:// or wss://. */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  tls?: MqttTls | undefined;
}

/** The session part of one CONNECT: clean start or not, its expiry, the last will. */
export type MqttSession = Pick<IClientOptions, 'clean' | 'will' | 'properties'>;

export interface MqttLinkEvents {
  /** A connection is up (CONNACK); `session` counts the connections since start, from 1. */
  connected?(client: MqttClient, session: number): void;
  message?(topic: string, payload: Buffer, packet: IPublishPacket): void;
  /** A connection that was up is gone; the next attempt follows in `retryInMs` (undefined when stopping). */
  lost?(retryInMs: number | undefined): void;
}

export interface MqttLinkOptions extends BrokerEndpoint {
  /** A fixed id (the kiosk's identity on the broker), or a fresh one per attempt. */
  clientId: string | (() => string);
  /** 5 by default; the link falls back to 3.1.1 by itself when the broker refuses 5. */
  protocolVersion?: 4 | 5;
  /** The session of an attempt in that protocol; a clean session without a will when absent. */
  session?: (protocolVersion: 4 | 5, session: number) => MqttSession;
  backoff?: BackoffOptions;
  /** A connection that lasted this long resets the backoff; one kicked at once keeps backing off. */
  stableAfterMs?: number;
  connectTimeoutMs?: number;
  keepaliveSeconds?: number;
  logger?: Logger;
  now?: () => number;
  events?: MqttLinkEvents;
  /**
   * Handles each incoming message before it is acknowledged: MQTT.js' `handleMessage` hook, where the
   * PUBACK of a QoS 1 message goes out only once this resolves, one message at a time (in MQTT 5 and
   * 3.1.1 alike; `customHandleAcks` is MQTT 5 only and runs before the message is handed over). A
   * rejection acknowledges nothing more on that connection and drops it: the broker sends what was not
   * acknowledged again on the next one (when the session is persistent).
   */
  handleMessage?(topic: string, payload: Buffer, packet: IPublishPacket): Promise<void>;
}

/** CONNACK codes for "I do not speak that version": 3.1.1 return code 1, MQTT 5 reason code 0x84. */
const UNSUPPORTED_VERSION = new Set([1, 0x84]);

/** The broker turned the protocol version down (Mosquitto 1.x and aedes speak only 3.1.1). */
export function protocolRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && UNSUPPORTED_VERSION.has(code);
}

/**
 * A connection to a broker that comes back by itself: exponential backoff with jitter between attempts,
 * MQTT 5 with a fall back to 3.1.1 (at once, without waiting out the backoff), TCP_NODELAY on every
 * socket, and the URL in logs without credentials.
 *
 * Why not MQTT.js' own reconnect:
 * - One fresh MQTT.js client per attempt, `reconnectPeriod: 0`, and our own timer with backoff + jitter
 *   (MQTT.js only retries on a fixed interval, so a fleet would reconnect in lock step).
 * - A fresh client also means MQTT.js never re-sends packets from its in-memory store behind the owner's
 *   back: the owner (the kiosk's durable outbox, the relay's caller) decides what is sent again, and
 *   re-subscribes in `connected`.
 *
 * `start()` connects in the background and keeps at it; `open()` is for a one-shot login: it resolves on
 * the first connection and rejects with the broker's answer (or the socket's) when the first attempt fails.
 */
export class MqttLink {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly backoff: Backoff;
  /** The URL without credentials, for the log. */
  private readonly redactedUrl: string;

  private current: MqttClient | undefined;
  private generation = 0;
  private started = false;
  private stopping = false;
  private isConnected = false;
  private connectedAt = 0;
  private sessions = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private protocol: 4 | 5;
  /** The broker refused MQTT 5 just now: the next attempt, in 3.1.1, goes at once. */
  private retryAtOnce = false;
  /** While `open()` waits for the first connection: how the first failure is reported. */
  private firstAttempt: { resolve: (client: MqttClient) => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly options: MqttLinkOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    this.protocol = options.protocolVersion ?? 5;
    this.redactedUrl = redactUrl(options.url);
  }

  /** The client of the connection that is up, if one is. */
  get client(): MqttClient | undefined {
    return this.isConnected ? this.current : undefined;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Successful connections since the link was made. */
  get sessionCount(): number {
    return this.sessions;
  }

  /** 5, or 4 once the broker turned MQTT 5 down. */
  get protocolVersion(): 4 | 5 {
    return this.protocol;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.connectNow();
  }

  /**
   * Connects and resolves with the first connection's client; from then on a lost connection is
   * retried like `start()`. Rejects with the error of a failed first attempt (a refused login, no route,
   * no answer within `timeoutMs`) and leaves the link stopped.
   */
  open(timeoutMs: number): Promise<MqttClient> {
    return new Promise<MqttClient>((resolve, reject) => {
      const timer = setTimeout(
        () => this.firstAttempt?.reject(new MqttTimeoutError(`no answer within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      this.firstAttempt = {
        resolve: (client) => {
          clearTimeout(timer);
          this.firstAttempt = undefined;
          resolve(client);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.firstAttempt = undefined;
          void this.stop().then(() => reject(error));
        },
      };
      this.start();
    });
  }

  /** Drops the connection that is up, as a lost one: the next attempt follows after the backoff. */
  drop(): void {
    if (this.isConnected) this.current?.end(true);
  }

  /**
   * Ends the connection. `beforeEnd` runs first while it is still up (the kiosk's `offline` status: the
   * will is not sent on a clean disconnect); each step gets 2 s before the socket is dropped.
   */
  async stop(beforeEnd?: (client: MqttClient) => Promise<unknown>): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.started = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.current;
    const wasConnected = this.isConnected;
    this.current = undefined;
    this.isConnected = false;
    if (!client) return;
    client.on('error', () => {}); // a late socket error of a client being let go must not crash anything
    if (wasConnected) {
      if (beforeEnd) await withTimeout(beforeEnd(client), 2_000).catch(() => {});
      await withTimeout(client.endAsync(false), 2_000).catch(() => client.end(true));
    } else {
      client.end(true);
    }
  }

  private clientOptions(): IClientOptions {
    const { options } = this;
    const tls = options.tls;
    const session = options.session?.(this.protocol, this.sessions + 1) ?? { clean: true };
    // A new object each time: MQTT.js mutates its options, and a shared object has made two clients
    // share one id before (MQTT.js #1585).
    return {
      clientId: typeof options.clientId === 'string' ? options.clientId : options.clientId(),
      protocolVersion: this.protocol,
      ...session,
      reconnectPeriod: 0,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      keepalive: options.keepaliveSeconds ?? 30,
      queueQoSZero: false,
      resubscribe: false,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
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
    this.current = client;
    const mine = () => generation === this.generation && this.current === client;
    client.on('connect', () => {
      if (mine()) this.onConnect(client);
    });
    client.on('close', () => {
      if (mine()) this.onClose(client);
    });
    client.on('message', (topic, payload, packet) => {
      if (mine()) this.options.events?.message?.(topic, payload, packet);
    });
    const handle = this.options.handleMessage;
    if (handle) {
      let failed = false;
      client.handleMessage = (packet, callback) => {
        // MQTT.js sends the PUBACK when `callback` is called without an error, never with one.
        if (failed || !mine()) {
          callback(new Error('not handled: the connection is being dropped'));
          return;
        }
        handle(packet.topic, Buffer.from(packet.payload), packet).then(
          () => callback(),
          (error: unknown) => {
            failed = true;
            this.logger.warn('an MQTT message could not be handled; reconnecting to have it again', {
              url: this.redactedUrl,
              error: error instanceof Error ? error.message : String(error),
            });
            callback(error instanceof Error ? error : new Error(String(error)));
            if (mine()) this.drop();
          },
        );
      };
    }
    client.on('error', (error) => {
      if (!mine()) return;
      if (this.protocol === 5 && protocolRefused(error)) {
        this.protocol = 4;
        this.retryAtOnce = true;
        this.logger.warn('the MQTT broker does not take MQTT 5; using MQTT 3.1.1 (no will delay there)', {
          url: this.redactedUrl,
        });
        return;
      }
      if (this.firstAttempt) {
        this.firstAttempt.reject(error);
        return;
      }
      // Refused CONNACKs (bad password: "Not authorized") and socket errors; `close` follows.
      if (!this.stopping)
        this.logger.warn('MQTT broker connection failed', { url: this.redactedUrl, error: error.message });
    });
  }

  private onConnect(client: MqttClient): void {
    sendSmallPacketsAtOnce(client);
    this.isConnected = true;
    this.connectedAt = this.now();
    this.sessions += 1;
    this.logger.info('connected to the MQTT broker', { url: this.redactedUrl, session: this.sessions });
    this.options.events?.connected?.(client, this.sessions);
    this.firstAttempt?.resolve(client);
  }

  private onClose(client: MqttClient): void {
    const wasConnected = this.isConnected;
    this.isConnected = false;
    client.removeAllListeners('connect');
    client.removeAllListeners('close');
    client.on('error', () => {}); // a late socket error of a dead client must not crash the program
    client.end(true);
    if (this.stopping || !this.started) return;
    if (this.firstAttempt && !this.retryAtOnce) {
      this.firstAttempt.reject(new Error('the broker closed the connection'));
      return;
    }
    if (wasConnected && this.now() - this.connectedAt >= (this.options.stableAfterMs ?? 10_000))
      this.backoff.reset();
    const delay = this.retryAtOnce ? 0 : this.backoff.next();
    this.retryAtOnce = false;
    if (wasConnected) this.options.events?.lost?.(delay);
    this.reconnectTimer = setTimeout(() => this.connectNow(), delay);
  }
}

/** No answer from the broker in time (a one-shot login, a subscription). */
export class MqttTimeoutError extends Error {
  override readonly name = 'MqttTimeoutError';
}

/** `promise`, or a MqttTimeoutError after `ms`. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what = `timed out after ${ms} ms`,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new MqttTimeoutError(what)), ms);
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
