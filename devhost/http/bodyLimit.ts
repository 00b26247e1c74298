import { Transform, type TransformCallback } from "node:stream";

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than the host's limit of ${limit} bytes.`);
  }
}

/** Passes bytes through and fails the stream once more than `limit` bytes have gone by. */
export class BodyLimit extends Transform {
  #seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) done(new PayloadTooLargeError(this.limit));
    else done(null, chunk);
  }
}

/** Reads a whole body into one buffer, refusing more than `limit` bytes. */
export async function readBody(source: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}
