import type { KeyObject } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/log/logger.js';
import { type CommandRefusal, REFUSAL_TEXT, verifyCommand } from '../../contracts/hq-command.js';
import type { DeviceTopics } from '../../contracts/topics.js';
import type { CommandNonces } from './command-nonces.js';
import { TokenBucket } from './token-bucket.js';

/**
 * Refusals answered and logged: a burst of 20, then 1 a second. Beyond that a flood of forged commands
 * is only counted (and the next log line says how many went unlogged), so it fills neither the journal
 * nor the kiosk's uplink.
 */
const REFUSALS_PER_SECOND = 1;
const REFUSAL_BURST = 20;

/** A command HQ sent that the kiosk will not carry out; the message goes back in the response. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';
}

/** What the kiosk does for one command (its signed `args`); throws CommandRefusedError to answer with an error. */
export type CommandHandler = (
  name: string,
  args: Record<string, unknown>,
  /** The command's transaction id: a file it asks for goes out on `files/{transactionId}`. */
  context: { transactionId: string },
) => Promise<Record<string, unknown>>;

/** Who may command this kiosk, and its memory of the commands it has seen. */
export interface CommandTrust {
  site: string;
  device: string;
  /** HQ's public command keys by key id, read when a command comes (see command-keys.ts). */
  keys(): ReadonlyMap<string, KeyObject>;
  nonces: CommandNonces;
  now(): number;
  logger: Logger;
}

/**
 * HQ's request/response: a signed command on `cmd/{name}` (contracts/hq-command.ts) is answered on
 * `resp/{name}` with its transaction id, `ok: true` and the result, or `ok: false` and why. A command
 * that is retained, unsigned, signed by a key the kiosk does not trust, altered, for another kiosk or
 * command, stale, or seen before is refused: answered with the reason, logged, counted, and nothing
 * else happens (beyond a burst, refusals are only counted: see REFUSAL_BURST). Answers are never retained, and the kiosk does not listen on `resp/`, so an answer to a
 * retained command cannot come back as another command.
 */
export class HqCommandResponder {
  /** `vk/v1/{site}/{device}/cmd/`: the commands' topics without the name. */
  private readonly prefix: string;
  private refusedCount = 0;
  private unlogged = 0;
  private readonly refusalAnswers = new TokenBucket(REFUSALS_PER_SECOND, REFUSAL_BURST);

  constructor(
    private readonly topics: DeviceTopics,
    private readonly handle: CommandHandler,
    /** The personal-data check every answer passes before it is published. */
    private readonly passes: (topic: string, payload: unknown) => boolean,
    private readonly trust: CommandTrust,
  ) {
    this.prefix = topics.commandFilter.slice(0, -1);
  }

  /** Commands refused since start (retained, unsigned, unknown key, forged, stale, replayed, …). */
  get refused(): number {
    return this.refusedCount;
  }

  /**
   * A new connection: listen for commands (a resumed session may already have them). Retain As
   * Published (MQTT 5; 3.1.1 ignores it) keeps the retain flag on a live delivery too, so a command
   * published retained is refused at once and not only when the broker hands its copy out later.
   */
  listen(client: MqttClient): void {
    client.subscribe(this.topics.commandFilter, { qos: 1, rap: true });
  }

  /** Answers the message if it is a command; anything else is ignored (a resumed session may still deliver a topic dropped since). */
  offer(client: MqttClient, topic: string, payload: Buffer, retained: boolean): void {
    if (topic.startsWith(this.prefix))
      void this.answer(client, topic.slice(topic.lastIndexOf('/') + 1), payload, retained);
  }

  private async answer(client: MqttClient, name: string, payload: Buffer, retained: boolean): Promise<void> {
    const { trust } = this;
    const now = trust.now();
    const verdict = verifyCommand(payload.toString('utf8'), {
      name,
      site: trust.site,
      device: trust.device,
      // A retained command is refused whatever it carries (the broker hands it out again on every
      // subscribe): with no key to check it against it is never carried out, and its claimed id is echoed.
      keys: retained ? () => new Map() : trust.keys,
      now,
    });
    if (!verdict.ok)
      return this.refuse(
        client,
        name,
        retained ? 'retained' : verdict.refusal,
        verdict.transactionId,
        verdict.kid,
      );
    const { command } = verdict;
    if (!trust.nonces.firstSight(command.nonce, command.transactionId, Date.parse(command.expiresAt), now))
      return this.refuse(client, name, 'replayed', command.transactionId, command.kid);
    const { transactionId } = command;
    try {
      const result = await this.handle(name, command.args, { transactionId });
      this.respond(client, name, { transactionId, ok: true, result });
    } catch (error) {
      this.respond(client, name, { transactionId, ok: false, error: failure(error) });
    }
  }

  private refuse(
    client: MqttClient,
    name: string,
    refusal: CommandRefusal,
    transactionId: string | null,
    kid: string | null = null,
  ): void {
    this.refusedCount += 1;
    if (this.refusalAnswers.available(this.trust.now()) < 1) {
      this.unlogged += 1;
      return;
    }
    this.refusalAnswers.take();
    this.trust.logger.warn(`HQ command refused: ${refusal}`, {
      command: name,
      transactionId,
      kid,
      ...(this.unlogged > 0 ? { alsoRefusedUnlogged: this.unlogged } : {}),
    });
    this.unlogged = 0;
    this.respond(client, name, { transactionId, ok: false, error: REFUSAL_TEXT[refusal] });
  }

  private respond(client: MqttClient, name: string, answer: Record<string, unknown>): void {
    let topic: string;
    try {
      topic = this.topics.response(name);
    } catch {
      return; // a command name we cannot even answer on (`+`, `#`): the broker would not have routed it
    }
    if (!this.passes(topic, answer)) return;
    client.publish(topic, JSON.stringify(answer), { qos: 1, retain: false });
  }
}

function failure(error: unknown): string {
  if (error instanceof CommandRefusedError) return error.message;
  return 'the kiosk could not carry out the command';
}
