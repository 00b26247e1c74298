/**
 * Spools one change batch to a file in the state dir: it can then be sent, retried and
 * renumbered without rescanning, with memory bounded by one extent. Each extent is written
 * out (or copied) before the next is asked for: the scan's extents view buffers it reuses.
 * The body's SHA-256 (which the request signature names) is computed while writing.
 */
import { open, rm, type FileHandle } from "node:fs/promises";
import {
  encodeBatch,
  extentLength,
  type BatchHeader,
  type Extent,
  type ExtentCompressor,
} from "../../shared/replication/wire";
import type { ChangeQueue } from "./changeQueue";
import { DigestUpdateList } from "../disk/digestUpdateList";
import type { ScannedChange } from "./rangeScanner";

const STAGE_BYTES = 1024 * 1024;
const DIRECT_WRITE_BYTES = 64 * 1024;

export interface BatchCaps {
  /** Data bytes (before compression) per batch. */
  maxDataBytes: number;
  maxExtents: number;
  /** Zero-run bytes per batch: on an empty disk the journal still advances every few GiB. */
  maxZeroBytes: number;
}

export interface SpooledBatch {
  file: string;
  header: BatchHeader;
  fileBytes: number;
  /** Hex SHA-256 of the whole file: the request body's digest. */
  fileSha256: string;
  /** Hex SHA-256 in the batch trailer: what the server acknowledges. */
  trailerSha256: string;
  dataBytes: number;
  zeroBytes: number;
  extentCount: number;
  commits: DigestUpdateList;
  /** End of the batch's last extent; undefined for an empty batch. */
  endOffset: number | undefined;
  /** No change follows this batch in the scan. */
  last: boolean;
}

export async function spoolBatch(
  file: string,
  header: BatchHeader,
  queue: ChangeQueue,
  caps: BatchCaps,
  compressor: ExtentCompressor,
): Promise<SpooledBatch> {
  const tally = {
    dataBytes: 0,
    zeroBytes: 0,
    extentCount: 0,
    commits: new DigestUpdateList(),
    endOffset: undefined as number | undefined,
  };
  const out = await BufferedFile.create(file);
  let bodySha256 = "";
  let trailer: Buffer = Buffer.alloc(0);
  try {
    try {
      for await (const part of encodeBatch(header, takeChanges(queue, caps, tally), {
        compressor,
        onBodyDigest: (hex) => {
          bodySha256 = hex;
        },
      })) {
        await out.write(part);
        trailer = part;
      }
    } finally {
      await out.close();
    }
  } catch (error) {
    // A full disk is the likely cause: give back what the torn file holds at once.
    await rm(file, { force: true });
    throw error;
  }
  const last = (await queue.peek()) === undefined;
  return {
    file,
    header,
    fileBytes: out.bytes,
    fileSha256: bodySha256,
    trailerSha256: trailer.toString("hex"),
    ...tally,
    last,
  };
}

type Tally = Pick<SpooledBatch, "dataBytes" | "zeroBytes" | "extentCount" | "commits" | "endOffset">;

async function* takeChanges(queue: ChangeQueue, caps: BatchCaps, tally: Tally): AsyncGenerator<Extent> {
  for (;;) {
    const next = await queue.peek();
    if (next === undefined || (tally.extentCount > 0 && overflows(next, caps, tally))) return;
    await queue.next();
    add(next, tally);
    yield next.extent;
  }
}

function overflows(change: ScannedChange, caps: BatchCaps, tally: Tally): boolean {
  const data = change.extent.kind === "data" ? change.extent.data.length : 0;
  const zero = change.extent.kind === "zero" ? change.extent.length : 0;
  return (
    tally.dataBytes + data > caps.maxDataBytes ||
    tally.zeroBytes + zero > caps.maxZeroBytes ||
    tally.extentCount + 1 > caps.maxExtents
  );
}

/** Keeps only the commit (digests), never the extent's bytes: those now live in the spool file. */
function add(change: ScannedChange, tally: Tally): void {
  const length = extentLength(change.extent);
  if (change.extent.kind === "data") tally.dataBytes += length;
  else tally.zeroBytes += length;
  tally.extentCount += 1;
  tally.commits.add(change.update);
  tally.endOffset = change.extent.offset + length;
}

/**
 * Gathers the encoder's many small parts (32-byte records, 4 KiB extents) into few large
 * writes. They are copied into one reused buffer: holding the parts themselves would keep
 * the scanner's extent buffers alive, and joining them would allocate a buffer per write.
 */
class BufferedFile {
  private readonly staged = Buffer.allocUnsafe(STAGE_BYTES);
  private pending = 0;
  bytes = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(file: string): Promise<BufferedFile> {
    return new BufferedFile(await open(file, "w", 0o600));
  }

  async write(part: Buffer): Promise<void> {
    this.bytes += part.length;
    if (part.length >= DIRECT_WRITE_BYTES) {
      // Extent bytes go straight to the file: copying megabytes to batch them gains nothing.
      await this.flush();
      await this.writeAll(part, part.length);
      return;
    }
    if (this.pending + part.length > STAGE_BYTES) await this.flush();
    this.pending += part.copy(this.staged, this.pending);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }

  private async flush(): Promise<void> {
    if (this.pending === 0) return;
    await this.writeAll(this.staged, this.pending);
    this.pending = 0;
  }

  /** A nearly full disk takes part of a write; the rest is asked for again, which then fails with ENOSPC. */
  private async writeAll(bytes: Buffer, length: number): Promise<void> {
    for (let done = 0; done < length;) {
      const { bytesWritten } = await this.handle.write(bytes, done, length - done);
      if (bytesWritten === 0) throw new Error("The spool file took no bytes of a write.");
      done += bytesWritten;
    }
  }
}
