import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { JournalingPayments } from '../../device/journal/journaling-payments.js';
import { recoverPayments } from '../../device/journal/recovery.js';
import { SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { startSandbox } from '../../sandbox/index.js';
import { contractClient } from '../vipps/contract.js';

// A process writing the journal as fast as it can is killed with SIGKILL at random moments, again and
// again on the same file. Each time the journal must open, pass SQLite's integrity check, hold every
// payment it acknowledged, never hold half a step, and recovery must run over what it left open.

const WRITER = new URL('./journal-writer.ts', import.meta.url).pathname;
const ROUNDS = 12;

/** Deterministic, so a failing round can be replayed. */
function* delays(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    yield 30 + (state % 170);
  }
}

describe('power loss during journal writes', () => {
  it(`survives ${ROUNDS} kills mid-burst with a consistent journal and recovery over what was open`, async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vk-powerloss-')), 'journal.sqlite');
    const sandbox = await startSandbox();
    const client = contractClient(sandbox.url, sandbox.credentials);
    const pause = delays(20_261_123);
    let acknowledged = 0;
    let recovered = 0;
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const writer = spawn(process.execPath, ['--import', 'tsx', WRITER, path, `pl${round}`], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let last = 0;
        writer.stdout!.on('data', (chunk: Buffer) => {
          const lines = chunk.toString().trim().split('\n');
          last = Number(lines.at(-1));
        });
        // Let it get going (the first write is after module loading), then cut it off at a random point.
        const deadline = Date.now() + 10_000;
        while (last === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, pause.next().value!));
        writer.kill('SIGKILL');
        await once(writer, 'exit');
        expect(last, `round ${round}: the writer never wrote`).toBeGreaterThan(0);
        acknowledged += last;

        const journal = SqliteJournal.open(path); // runs SQLite's quick_check and refuses a damaged file
        try {
          const open = journal.unfinished().filter((p) => p.reference.startsWith(`pl${round}-`));
          for (const payment of open) {
            // A payment row never exists without the step written in the same transaction.
            expect(payment.steps[0]?.kind, payment.reference).toBe('create-requested');
          }
          for (let n = 1; n <= last; n++) {
            const reference = `pl${round}-${String(n).padStart(10, '0')}-1`;
            expect(journal.outcome(reference), `${reference} was acknowledged`).toBe(
              n % 2 === 0 ? 'captured' : null,
            );
          }
          const report = await recoverPayments(
            journal,
            new JournalingPayments(client.epayment, journal),
            silentLogger,
            { now: Date.now, lateWindowMs: 0 },
          );
          // None of them reached Vipps: recovery finds them absent and closes them.
          expect(report.unresolved).toBe(0);
          recovered += report.closed;
          expect(journal.unfinished()).toEqual([]);
        } finally {
          journal.stop();
        }
      }
    } finally {
      await client.stop();
      await sandbox.close();
    }
    console.log(
      `power loss: ${ROUNDS} kills survived, ${acknowledged} payments acknowledged, ${recovered} left open and recovered`,
    );
  }, 60_000);
});
