import { createHash } from 'node:crypto';
import { z } from 'zod';

// A file a kiosk sends HQ over MQTT (today the SAF-T Cash Register export), on
// `vk/v1/{site}/{device}/files/{transactionId}`: gzipped, cut into chunks that each fit a broker's message
// limit (AWS IoT's 128 KB, which the fleet keeps, as it keeps AWS's topic limits), sent in order at QoS 1
// before the command's answer. The answer carries the manifest: the file's name, its sizes, the chunk
// count and the SHA-256 of the gzipped bytes, which HQ checks after putting the chunks together.

/** Gzipped bytes per chunk: base64 makes 64 KiB into about 87 KB, well inside a 128 KB message. */
export const FILE_CHUNK_BYTES = 64 * 1024;

export const fileChunkShape = z.strictObject({
  transactionId: z.string().min(1).max(64),
  /** 0, 1, …, count - 1. */
  index: z.int().min(0),
  count: z.int().min(1),
  /** base64 of this chunk's gzipped bytes. */
  data: z.base64(),
});
export type FileChunk = z.infer<typeof fileChunkShape>;

export const fileManifestShape = z.strictObject({
  file: z.string().min(1).max(200),
  /** The file's size, and its size gzipped. */
  bytes: z.int().min(0),
  gzipBytes: z.int().min(1),
  chunks: z.int().min(1),
  /** Hex SHA-256 of the gzipped bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileManifest = z.infer<typeof fileManifestShape>;

/** The gzipped file cut into chunks, and its manifest. */
export function fileChunks(
  transactionId: string,
  file: string,
  bytes: number,
  gzipped: Buffer,
): { manifest: FileManifest; chunks: FileChunk[] } {
  const count = Math.max(1, Math.ceil(gzipped.length / FILE_CHUNK_BYTES));
  const chunks = Array.from({ length: count }, (_, index) => ({
    transactionId,
    index,
    count,
    data: gzipped.subarray(index * FILE_CHUNK_BYTES, (index + 1) * FILE_CHUNK_BYTES).toString('base64'),
  }));
  const sha256 = createHash('sha256').update(gzipped).digest('hex');
  return { manifest: { file, bytes, gzipBytes: gzipped.length, chunks: count, sha256 }, chunks };
}

/** The chunks do not make the file the manifest describes: a chunk missing, or bytes changed on the way. */
export class FileTransferError extends Error {
  override readonly name = 'FileTransferError';
}

/** The gzipped bytes put back together from chunks (in any order), checked against the manifest. */
export function joinChunks(manifest: FileManifest, chunks: ReadonlyMap<number, FileChunk>): Buffer {
  const missing = Array.from({ length: manifest.chunks }, (_, i) => i).filter((i) => !chunks.has(i));
  if (missing.length > 0)
    throw new FileTransferError(
      `${manifest.file}: ${missing.length} of ${manifest.chunks} chunks did not arrive (first missing: ${missing[0]}); ask again`,
    );
  const gzipped = Buffer.concat(
    Array.from({ length: manifest.chunks }, (_, i) => Buffer.from(chunks.get(i)!.data, 'base64')),
  );
  const sha256 = createHash('sha256').update(gzipped).digest('hex');
  if (gzipped.length !== manifest.gzipBytes || sha256 !== manifest.sha256)
    throw new FileTransferError(
      `${manifest.file}: the chunks put together (${gzipped.length} bytes, SHA-256 ${sha256}) are not the file ` +
        `the kiosk sent (${manifest.gzipBytes} bytes, SHA-256 ${manifest.sha256}); nothing written, ask again`,
    );
  return gzipped;
}
