import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_FILE, OutboxUnavailableError, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { outboxContract } from './outbox-contract.js';

outboxContract('SQLite file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-outbox-contract-'));
  return {
    open: (limits, now) => SqliteOutbox.open(join(dir, OUTBOX_FILE), limits, now),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('telemetry outbox (SQLite)', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-outbox-'));
    path = join(dir, OUTBOX_FILE);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is a file only the daemon can read', async () => {
    SqliteOutbox.open(path).stop();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses limits that are not positive numbers of events', () => {
    expect(() => SqliteOutbox.open(path, { maxEvents: 0, degradedAt: 1 })).toThrow(RangeError);
  });

  it('names the file and what to do when it cannot be opened', () => {
    expect(() => SqliteOutbox.open(join(dir, 'missing-dir', OUTBOX_FILE))).toThrow(OutboxUnavailableError);
    expect(() => SqliteOutbox.open(join(dir, 'missing-dir', OUTBOX_FILE))).toThrow(/do not delete the file/);
  });
});
