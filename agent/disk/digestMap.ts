/**
 * The persisted per-block digest map (DESIGN §5), read in windows so memory stays bounded
 * whatever the disk size. Invariant that makes crashes safe: an entry only ever holds the
 * digest of bytes the server acknowledged, or anything else (old, zero, torn), which just
 * makes the block be sent again. Hence: created by write-then-rename, updated in place only
 * after an acknowledgement, fsynced before the next batch is built on it.
 */
import { writeSync } from "node:fs";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { endianness } from "node:os";
import { dirname } from "node:path";
import { UNKNOWN_DIGEST } from "./blockDigest";
import {
  DIGEST_ENTRY_BYTES,
  MAP_HEADER_BYTES,
  blockCount,
  encodeMapHeader,
  headerMatches,
  mapFileBytes,
  type MapIdentity,
} from "./digestMapFile";

/** New digests for a run of blocks: one each, or one for all (a zero run). */
export type DigestUpdate =
  { firstBlock: number; digests: BigUint64Array } | { firstBlock: number; blocks: number; digest: bigint };

const FILL_PIECE_BLOCKS = 8192;

export class DigestMap {
  readonly blockCount: number;

  private constructor(
    private readonly handle: FileHandle,
    readonly identity: MapIdentity,
    readonly fresh: boolean,
  ) {
    this.blockCount = blockCount(identity);
  }

  /** Opens the map at `path`, or starts a fresh one (every block unknown) when it is missing or belongs elsewhere. */
  static async open(path: string, identity: MapIdentity): Promise<DigestMap> {
    if (endianness() !== "LE") throw new Error("The digest map is stored little-endian; this host is not.");
    await rm(`${path}.new`, { force: true });
    const existing = await tryOpenMatching(path, identity);
    if (existing !== undefined) return new DigestMap(existing, identity, false);
    await createEmpty(path, identity);
    return new DigestMap(await open(path, "r+"), identity, true);
  }

  /**
   * Digests of `count` blocks from `firstBlock`; entries past a short file read as unknown.
   * Read into `reuse` when it is long enough (a scan's previous window), else a new array.
   */
  async readWindow(firstBlock: number, count: number, reuse?: BigUint64Array): Promise<BigUint64Array> {
    const length = Math.max(0, Math.min(count, this.blockCount - firstBlock));
    const window = reuse && reuse.length >= length ? reuse.subarray(0, length) : new BigUint64Array(length);
    const bytes = Buffer.from(window.buffer, window.byteOffset, window.byteLength);
    let filled = 0;
    while (filled < bytes.length) {
      const position = MAP_HEADER_BYTES + firstBlock * DIGEST_ENTRY_BYTES + filled;
      const { bytesRead } = await this.handle.read(bytes, filled, bytes.length - filled, position);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // A reused array still holds the last window's digests: what the file lacks must read as unknown.
    window.fill(UNKNOWN_DIGEST, Math.floor(filled / DIGEST_ENTRY_BYTES));
    return window;
  }

  /** Records acknowledged digests, durably: call only after the server acknowledged their batch. */
  async commit(updates: Iterable<DigestUpdate>): Promise<void> {
    for (const update of updates) {
      const blocks = "digests" in update ? update.digests.length : update.blocks;
      if (update.firstBlock < 0 || update.firstBlock + blocks > this.blockCount) {
        throw new RangeError(`Digest update at block ${update.firstBlock} is outside the map.`);
      }
      if ("digests" in update) this.writeEntries(update.firstBlock, update.digests);
      else this.fillEntries(update.firstBlock, update.blocks, update.digest);
    }
    await this.handle.datasync();
  }

  /**
   * A synchronous pwrite: thousands of 8-byte entries land in the page cache in milliseconds,
   * not a pool round trip each.
   */
  private writeEntries(firstBlock: number, digests: BigUint64Array): void {
    const bytes = Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength);
    const at = MAP_HEADER_BYTES + firstBlock * DIGEST_ENTRY_BYTES;
    // A nearly full disk takes part of a write: ask for the rest, which then fails with ENOSPC.
    for (let done = 0; done < bytes.length;) {
      const written = writeSync(this.handle.fd, bytes, done, bytes.length - done, at + done);
      if (written === 0) throw new Error("The digest map took no bytes of a write.");
      done += written;
    }
  }

  private fillEntries(firstBlock: number, blocks: number, digest: bigint): void {
    const piece = new BigUint64Array(Math.min(blocks, FILL_PIECE_BLOCKS)).fill(digest);
    for (let done = 0; done < blocks; done += piece.length) {
      this.writeEntries(firstBlock + done, piece.subarray(0, Math.min(piece.length, blocks - done)));
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

async function tryOpenMatching(path: string, identity: MapIdentity): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r+");
  } catch {
    return undefined;
  }
  const header = Buffer.alloc(MAP_HEADER_BYTES);
  const { bytesRead } = await handle.read(header, 0, MAP_HEADER_BYTES, 0);
  if (bytesRead === MAP_HEADER_BYTES && headerMatches(header, identity)) return handle;
  await handle.close();
  return undefined;
}

/** Write a sparse file beside the target, make it durable, then rename it over the target. */
async function createEmpty(path: string, identity: MapIdentity): Promise<void> {
  const temporary = `${path}.new`;
  const handle = await open(temporary, "wx");
  try {
    try {
      await handle.writeFile(encodeMapHeader(identity));
      await handle.truncate(mapFileBytes(identity));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
