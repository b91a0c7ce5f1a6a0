import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import {
  type FileChunk,
  type FileManifest,
  FileTransferError,
  fileChunkShape,
  fileManifestShape,
  joinChunks,
} from '../../contracts/file-transfer.js';

/**
 * HQ's end of a file a kiosk sends for a command (contracts/file-transfer.ts): keeps the chunks of one
 * transaction as they come on `files/{transactionId}`, and once the answer's manifest is in, puts them
 * together, checks size and SHA-256, unzips and writes the file under the kiosk's name for it.
 */
export class FileReceiver {
  private readonly chunks = new Map<number, FileChunk>();
  private arrived: () => void = () => {};

  constructor(private readonly transactionId: string) {}

  /** A message on the transfer's topic; anything not a chunk of this transaction is ignored. */
  offer(payload: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    const chunk = fileChunkShape.safeParse(parsed);
    if (!chunk.success || chunk.data.transactionId !== this.transactionId) return;
    this.chunks.set(chunk.data.index, chunk.data);
    this.arrived();
  }

  /**
   * Writes the file the answer `result` describes into `dir` (never over an existing file); waits up to
   * `waitMs` for chunks still on their way. Returns its path.
   */
  async write(result: unknown, dir: string, waitMs: number): Promise<string> {
    const manifest = fileManifestShape.safeParse(result);
    if (!manifest.success)
      throw new FileTransferError('the kiosk answered without a file manifest; is it running this version?');
    await this.allChunks(manifest.data, waitMs);
    const xml = await promisify(gunzip)(joinChunks(manifest.data, this.chunks));
    if (xml.length !== manifest.data.bytes)
      throw new FileTransferError(
        `${manifest.data.file}: unzipped to ${xml.length} bytes, not the ${manifest.data.bytes} the kiosk sent`,
      );
    // The kiosk names the file; only its name is taken, never a path.
    const path = resolve(dir, basename(manifest.data.file));
    await writeFile(path, xml, { flag: 'wx' });
    return path;
  }

  private async allChunks(manifest: FileManifest, waitMs: number): Promise<void> {
    if (this.chunks.size >= manifest.chunks) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(done, waitMs);
      this.arrived = () => {
        if (this.chunks.size < manifest.chunks) return;
        clearTimeout(timer);
        done();
      };
    });
  }
}
