import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type FileChunk, type FileManifest, fileChunks } from '../../contracts/file-transfer.js';
import type { CashRegister } from './cash-register.js';
import type { CashRegisterStore } from './journal-store.js';
import { type CashRegisterSettings, saftOfPeriod } from './saft-period.js';

export interface SaftToHqParts {
  settings: CashRegisterSettings;
  store: CashRegisterStore;
  register: CashRegister;
  /** Publishes the chunks on the transfer's topic, each acknowledged by the broker (TelemetryPublisher.sendFile). */
  send(transactionId: string, chunks: readonly FileChunk[]): Promise<void>;
  now: () => number;
}

/**
 * HQ's `saft-export` command: the SAF-T file of the period, gzipped and sent in chunks
 * (contracts/file-transfer.ts) before the answer, which is the manifest HQ checks the file against. The
 * export is journaled (13020) once every chunk is with the broker; one cut off is not an export, and HQ
 * asks again. The file holds what the cash-register journal holds: never a customer (README.md).
 */
export function saftToHq(parts: SaftToHqParts) {
  return async (period: { from: string; to: string }, transactionId: string): Promise<FileManifest> => {
    const createdAt = parts.now();
    const { file, xml } = saftOfPeriod(parts.settings, parts.store, period, createdAt);
    const bytes = Buffer.from(xml, 'utf8');
    const gzipped = await promisify(gzip)(bytes);
    const { manifest, chunks } = fileChunks(transactionId, file, bytes.length, gzipped);
    await parts.send(transactionId, chunks);
    parts.register.exported({ ...period, file: `${file} (sent to HQ, ${manifest.chunks} chunks)` });
    return manifest;
  };
}
