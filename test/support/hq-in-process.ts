import { vi } from 'vitest';
import { hqCommand } from '../../hq/commands/hq.js';

// `vipps-kiosk hq …` run in-process (what cli/main.ts calls; a UsageError is its exit code 2, any other
// error 1), with stdout caught: the tests of HQ's commands against a daemon on a real broker.

/** Runs `vipps-kiosk hq ARGS` in-process and returns what it printed, or the error it ended with. */
export async function hqInProcess(args: string[]): Promise<{ output: string; error?: Error }> {
  let output = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output += String(chunk);
    return true;
  });
  try {
    await hqCommand(args);
    return { output };
  } catch (error) {
    return { output, error: error as Error };
  } finally {
    write.mockRestore();
  }
}
