import type { MqttClient } from 'mqtt';
import type { DeviceTopics } from '../../contracts/topics.js';

/** A command HQ sent that the kiosk will not carry out; the message goes back in the response. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';
}

/** What the kiosk does for one command; throws CommandRefusedError to answer with an error. */
export type CommandHandler = (
  name: string,
  request: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/**
 * HQ's request/response: a command on `cmd/{name}` (JSON with a `transactionId`) is answered on
 * `resp/{name}` with the same transaction id, `ok: true` and the result, or `ok: false` and why.
 */
export class HqCommandResponder {
  /** `vk/v1/{site}/{device}/cmd/`: the commands' topics without the name. */
  private readonly prefix: string;

  constructor(
    private readonly topics: DeviceTopics,
    private readonly handle: CommandHandler,
    /** The personal-data check every answer passes before it is published. */
    private readonly passes: (topic: string, payload: unknown) => boolean,
  ) {
    this.prefix = topics.commandFilter.slice(0, -1);
  }

  /** A new connection: listen for commands (a resumed session may already have them). */
  listen(client: MqttClient): void {
    client.subscribe(this.topics.commandFilter, { qos: 1 });
  }

  /** Answers the message if it is a command; anything else is ignored (a resumed session may still deliver a topic dropped since). */
  offer(client: MqttClient, topic: string, payload: Buffer): void {
    if (topic.startsWith(this.prefix))
      void this.answer(client, topic.slice(topic.lastIndexOf('/') + 1), payload);
  }

  private async answer(client: MqttClient, name: string, payload: Buffer): Promise<void> {
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
      const result = await this.handle(name, request);
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
    if (!this.passes(topic, answer)) return;
    client.publish(topic, JSON.stringify(answer), { qos: 1 });
  }
}

function refusal(error: unknown): string {
  if (error instanceof CommandRefusedError) return error.message;
  if (error instanceof SyntaxError) return 'not JSON';
  return 'the kiosk could not carry out the command';
}
