/** A source disk opened read-only: a raw image file or a block device, of any size. */
import { open, type FileHandle } from "node:fs/promises";
import { blockDeviceSize } from "./deviceSize";

export interface SourceDisk {
  readonly path: string;
  readonly sizeBytes: number;
  /** Reads up to `length` bytes at `position` into `buffer`; fewer only at the end. */
  read(buffer: Buffer, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

export async function openSourceDisk(path: string): Promise<SourceDisk> {
  const handle = await open(path, "r");
  try {
    const stats = await handle.stat();
    const sizeBytes = stats.isBlockDevice() ? await blockDeviceSize(path) : stats.size;
    return fileDisk(path, handle, sizeBytes);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function fileDisk(path: string, handle: FileHandle, sizeBytes: number): SourceDisk {
  return {
    path,
    sizeBytes,
    async read(buffer, length, position) {
      let filled = 0;
      // A block device may return short reads; loop until the span is full or the disk ends.
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled;
    },
    close: () => handle.close(),
  };
}
