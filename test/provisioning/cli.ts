import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

// The vipps-kiosk command as a field tech runs it, from source (tsx), so a test never runs a stale
// build: either with piped output, or on a real pseudo-terminal made by util-linux `script`, where
// readline sees a TTY exactly as on the kiosk's console.

const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;
const COMMAND = [process.execPath, '--import', 'tsx', MAIN];

export const SCRIPT_BIN = '/usr/bin/script';

/** The CLI as a long-running child (a server), output piped. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(COMMAND[0]!, [...COMMAND.slice(1), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawnCli(args, env);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** One run of the CLI on a pseudo-terminal: read what it shows, type answers like a person. */
export class PtySession {
  private text = '';
  private read = 0;
  private readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    const command = [...COMMAND, ...args].map(quote).join(' ');
    this.child = spawn(SCRIPT_BIN, ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
      env: { ...process.env, ...env, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      this.text += chunk.toString();
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
  }

  /** Everything shown so far, carriage returns dropped. */
  get output(): string {
    return this.text.replace(/\r/g, '');
  }

  /** Waits until the screen shows `pattern` after what was already read, and moves past it. */
  async expect(pattern: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.output.slice(this.read);
      const at = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (at >= 0) {
        const length = typeof pattern === 'string' ? pattern.length : (rest.match(pattern)?.[0].length ?? 0);
        this.read += at + length;
        return;
      }
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`the console never showed ${String(pattern)}; it shows:\n${rest}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Types a line and Enter, as a person or a keyboard-wedge scanner does. */
  type(line: string): void {
    this.child.stdin!.write(`${line}\r`);
  }

  async exit(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const [code] = await once(this.child, 'exit');
    return code as number | null;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
