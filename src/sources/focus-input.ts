import { createReadStream } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createGunzip } from 'node:zlib';

/**
 * Finding and opening the files of a FOCUS export: one CSV or CSV.gz file, or a folder of them
 * (AWS Data Exports write `<prefix>/<export>/data/BILLING_PERIOD=YYYY-MM/*.csv.gz` next to JSON
 * manifests, which are skipped).
 */

const CSV_NAME = /\.csv(\.gz|\.gzip)?$/i;

/** The CSV files to read: `path` itself, or every *.csv / *.csv.gz below it, in path order. */
export async function listFocusFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (CSV_NAME.test(entry.name)) found.push(full);
    }
  };
  await walk(path);
  // Sort on the relative path so BILLING_PERIOD=2024-09 comes before 2024-10 whatever the root.
  return found.sort((a, b) => {
    const ra = relative(path, a);
    const rb = relative(path, b);
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  });
}

/** A file's bytes, decompressed when it is gzip, read into caller-owned buffers. */
export interface ByteInput {
  /** Size of the file on disk. */
  readonly size: number;
  /** Bytes of the file on disk consumed so far (compressed bytes for gzip). */
  readonly consumed: number;
  readonly compressed: boolean;
  /** Fills up to `length` bytes at `offset`; resolves 0 at the end. */
  read(buf: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/** Opens a file, detecting gzip by its magic bytes (1f 8b) rather than by name. */
export async function openByteInput(path: string): Promise<ByteInput> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    if (bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b) {
      await handle.close();
      return new GzipInput(path, size);
    }
    return new PlainInput(handle, size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

class PlainInput implements ByteInput {
  consumed = 0;
  readonly compressed = false;
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    if (length === 0) return 0;
    const { bytesRead } = await this.handle.read(buf, offset, length, this.consumed);
    this.consumed += bytesRead;
    return bytesRead;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

class GzipInput implements ByteInput {
  consumed = 0;
  readonly compressed = true;
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Buffer | undefined;
  private pendingAt = 0;
  private readonly raw: ReturnType<typeof createReadStream>;

  constructor(
    private readonly path: string,
    readonly size: number,
  ) {
    this.raw = createReadStream(path, { highWaterMark: 1 << 20 });
    // zlib inflates on the libuv thread pool, so it overlaps with parsing on the main thread.
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    this.raw.on('data', (chunk: Buffer | string) => {
      this.consumed += chunk.length;
    });
    this.raw.on('error', (error) => gunzip.destroy(error));
    this.raw.pipe(gunzip);
    this.chunks = gunzip[Symbol.asyncIterator]();
  }

  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    let written = 0;
    while (written < length) {
      if (!this.pending || this.pendingAt >= this.pending.length) {
        // Hand over what we have rather than wait for more.
        if (written > 0) break;
        let next: IteratorResult<Buffer>;
        try {
          next = await this.chunks.next();
        } catch (error) {
          throw new Error(`${this.path}: cannot decompress: ${(error as Error).message}`);
        }
        if (next.done) break;
        this.pending = next.value;
        this.pendingAt = 0;
      }
      const take = Math.min(length - written, this.pending.length - this.pendingAt);
      this.pending.copy(buf, offset + written, this.pendingAt, this.pendingAt + take);
      this.pendingAt += take;
      written += take;
    }
    return written;
  }

  async close(): Promise<void> {
    this.raw.destroy();
    await this.chunks.return?.();
  }
}
