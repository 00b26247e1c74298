/**
 * Reads exact byte counts from a streamed body with bounded memory: it buffers at most the
 * requested count plus one incoming chunk, hashes what it hands out, and caps the total.
 */
import { createHash, type Hash } from "node:crypto";
import { errors } from "../domain/errors";

export class ByteReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private received = 0;
  private readonly hash: Hash = createHash("sha256");
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>, private readonly maxBytes: number) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Exactly `count` bytes, or BatchTruncated when the body ends first. */
  async read(count: number, hashed = true): Promise<Buffer> {
    while (this.buffered < count) {
      if (!(await this.pull())) throw errors.batchTruncated(this.received);
    }
    const out = this.take(count);
    if (hashed) this.hash.update(out);
    return out;
  }

  /**
   * Exactly `count` bytes as the received chunks themselves (views, never copied): a 4 MiB
   * extent arrives in some 64 socket chunks, and joining them would copy every byte once more.
   */
  async readParts(count: number): Promise<Buffer[]> {
    while (this.buffered < count) {
      if (!(await this.pull())) throw errors.batchTruncated(this.received);
    }
    const parts: Buffer[] = [];
    for (let need = count; need > 0;) {
      const chunk = this.chunks[0] as Buffer;
      const part = chunk.length <= need ? chunk : chunk.subarray(0, need);
      if (part === chunk) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(need);
      this.hash.update(part);
      parts.push(part);
      need -= part.length;
    }
    this.buffered -= count;
    return parts;
  }

  /** SHA-256 of every hashed byte read so far, then of `tail` too (the whole body's digest, without a second pass). */
  digestWith(tail: Buffer): string {
    return this.hash.copy().update(tail).digest("hex");
  }

  /** SHA-256 of every hashed byte read so far. */
  digest(): Buffer {
    return this.hash.copy().digest();
  }

  /** True when the body has no byte left. */
  async atEnd(): Promise<boolean> {
    while (this.buffered === 0) {
      if (!(await this.pull())) return true;
    }
    return false;
  }

  /** Stops the source (an HTTP body is destroyed) when reading ends early. */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }

  private async pull(): Promise<boolean> {
    const next = await this.iterator.next();
    if (next.done) return false;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.received += chunk.length;
    if (this.received > this.maxBytes) throw errors.batchTooLarge(this.maxBytes, "bytes");
    if (chunk.length > 0) this.chunks.push(chunk);
    this.buffered += chunk.length;
    return true;
  }

  private take(count: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= count) {
      this.chunks[0] = first.subarray(count);
      if (this.chunks[0].length === 0) this.chunks.shift();
      this.buffered -= count;
      return first.subarray(0, count);
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0] as Buffer;
      const used = chunk.copy(out, filled, 0, Math.min(chunk.length, count - filled));
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= count;
    return out;
  }
}
