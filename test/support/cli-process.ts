import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

// The vipps-kiosk command as a field tech or developer runs it: a real process, its output, its exit code.

const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;

/** `input`, when given, is what the command reads on stdin (then end of input), as from a pipe. */
export function start(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  return Object.assign(child, { output: () => output });
}

export async function run(
  args: string[],
  env?: NodeJS.ProcessEnv,
  input?: string,
): Promise<{ code: number | null; output: string }> {
  const child = start(args, env, input);
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output: child.output() };
}

/** `timeoutMs` bounds the wait (a process starting on a busy machine); it is never a measurement. */
export async function waitFor(
  child: ReturnType<typeof start>,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(child.output());
    if (match) return match;
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`never printed ${pattern}:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Sends `signal` to a process still running and waits for its exit. SIGKILL is the crash a test plays:
 * no shutdown code runs, and only what the process had written durably is there at its next start.
 */
export async function endProcess(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill(signal);
  await once(child, 'exit');
}
