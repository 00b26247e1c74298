/**
 * Reads exact byte counts from a streamed body with bounded memory: it buffers at most the
 * requested count plus one incoming chunk, hashes what it hands out, and caps the total.
 */
import { createHash, type Hash } from "node:crypto";
import { errors } from "../../domain/errors";
import { joinedParts, takeFront } from "./bufferQueue";

export class ByteReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private received = 0;
  private readonly hash: Hash = createHash("sha256");
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(
    source: AsyncIterable<Uint8Array>,
    private readonly maxBytes: number,
  ) {
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
    const parts = takeFront(this.chunks, count);
    for (const part of parts) this.hash.update(part);
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
    const chunk = Buffer.isBuffer(next.value)
      ? next.value
      : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.received += chunk.length;
    if (this.received > this.maxBytes) throw errors.batchTooLarge(this.maxBytes, "bytes");
    if (chunk.length > 0) this.chunks.push(chunk);
    this.buffered += chunk.length;
    return true;
  }

  private take(count: number): Buffer {
    const out = joinedParts(takeFront(this.chunks, count), count);
    this.buffered -= count;
    return out;
  }
}
