import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';

/** The console conversation with the field tech; a test drives the same one through a pty. */
export interface Prompter {
  /** One line of input. A secret is not echoed. */
  ask(question: string, options?: { secret?: boolean }): Promise<string>;
  say(text: string): void;
  close(): void;
}

/** Input ended (Ctrl+D, or the console went away) before the tech finished: nothing is written. */
export class InputClosedError extends Error {
  override readonly name = 'InputClosedError';
  constructor() {
    super('input ended before provisioning finished; nothing was written');
  }
}

/**
 * Prompts on a terminal through readline. A keyboard-wedge scanner "types" its code followed by
 * Enter, so a scanned enrolment QR arrives here as one line like anything typed.
 */
export class ConsolePrompter implements Prompter {
  private readonly rl: Interface;
  private readonly output: NodeJS.WritableStream;
  private muted = false;
  private closed = false;
  private readonly lines: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;

  constructor(input: NodeJS.ReadableStream, output: NodeJS.WritableStream & { isTTY?: boolean }) {
    this.output = output;
    // readline echoes what is typed through its output; while a secret is typed, that echo is dropped.
    const echo = new Writable({
      write: (chunk, _encoding, done) => {
        if (!this.muted) output.write(chunk);
        done();
      },
    });
    this.rl = createInterface({ input, output: echo, terminal: output.isTTY === true });
    this.rl.on('line', (line) => this.deliver(line));
    this.rl.on('close', () => {
      this.closed = true;
      this.deliver(undefined);
    });
  }

  async ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
    this.output.write(question);
    this.muted = options.secret === true;
    const line = await this.next();
    if (this.muted) this.output.write('\n');
    this.muted = false;
    if (line === undefined) throw new InputClosedError();
    return line.trim();
  }

  say(text: string): void {
    this.output.write(`${text}\n`);
  }

  close(): void {
    this.rl.close();
  }

  private next(): Promise<string | undefined> {
    const line = this.lines.shift();
    if (line !== undefined || this.closed) return Promise.resolve(line);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  // Lines typed ahead (a pasted block, a fast scanner) queue up instead of being lost.
  private deliver(line: string | undefined): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(line);
    } else if (line !== undefined) {
      this.lines.push(line);
    }
  }
}
