import type { Pool } from 'pg';
import type { TelemetryRecord } from './telemetry-record.js';

// Writes one telemetry record, each in its own statement (an autocommit transaction): when `save`
// resolves, the row is committed and the message may be acknowledged. Idempotent: the same event,
// presence change or state again changes nothing.

/** What a message became, for the collector's counters. */
export type SaveOutcome = 'stored' | 'duplicate' | 'unreadable' | 'ignored';

/** Longest payload kept of a message that could not be read. */
const UNREADABLE_KEEP = 4_096;

/**
 * PostgreSQL's classes for a problem with the data itself (22: data exception, 23: integrity): the
 * same message would fail again on every redelivery, so it is kept as unreadable, not retried.
 */
function isDataProblem(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

export class TelemetryStore {
  constructor(private readonly pool: Pool) {}

  /** Resolves once committed; rejects when the database cannot be reached (the caller retries). */
  async save(record: TelemetryRecord, topic: string, raw: Buffer): Promise<SaveOutcome> {
    try {
      return await this.write(record);
    } catch (error) {
      if (!isDataProblem(error)) throw error;
      await this.unreadable(
        topic,
        `the database refused it: ${(error as Error).message}`,
        raw.toString('utf8'),
      );
      return 'unreadable';
    }
  }

  private async write(record: TelemetryRecord): Promise<SaveOutcome> {
    switch (record.kind) {
      case 'event': {
        const result = await this.pool.query(
          `INSERT INTO events (site, device, id, type, class, at, reference, amount, currency, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (site, device, id) DO NOTHING`,
          [
            record.site,
            record.device,
            record.id,
            record.type,
            record.class,
            record.at,
            record.reference,
            record.amount,
            record.currency,
            record.payload,
          ],
        );
        return result.rowCount === 1 ? 'stored' : 'duplicate';
      }
      case 'presence': {
        const result = await this.pool.query(
          `INSERT INTO presence (site, device, boot_id, session, state, version, started_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (site, device, boot_id, session, state) DO NOTHING`,
          [
            record.site,
            record.device,
            record.bootId,
            record.session,
            record.state,
            record.version,
            record.startedAt,
          ],
        );
        return result.rowCount === 1 ? 'stored' : 'duplicate';
      }
      case 'health':
        await this.pool.query('INSERT INTO health_samples (site, device, payload) VALUES ($1, $2, $3)', [
          record.site,
          record.device,
          record.payload,
        ]);
        return 'stored';
      case 'state':
        if (record.payload === null) {
          await this.pool.query('DELETE FROM kiosk_states WHERE site = $1 AND device = $2', [
            record.site,
            record.device,
          ]);
        } else {
          await this.pool.query(
            `INSERT INTO kiosk_states (site, device, payload) VALUES ($1, $2, $3)
             ON CONFLICT (site, device) DO UPDATE SET payload = excluded.payload, received_at = now()`,
            [record.site, record.device, record.payload],
          );
        }
        return 'stored';
      case 'unreadable':
        await this.unreadable(record.topic, record.problem, record.payload);
        return 'unreadable';
      case 'ignored':
        return 'ignored';
    }
  }

  private async unreadable(topic: string, problem: string, payload: string): Promise<void> {
    // PostgreSQL text holds no NUL character; what is kept is for a person to look at.
    const kept = payload.slice(0, UNREADABLE_KEEP).replaceAll('\u0000', '\ufffd');
    await this.pool.query('INSERT INTO unreadable_messages (topic, problem, payload) VALUES ($1, $2, $3)', [
      topic.replaceAll('\u0000', '\ufffd'),
      problem,
      kept,
    ]);
  }
}
