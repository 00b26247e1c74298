import { Transform, type Readable, type TransformCallback } from "node:stream";

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

/**
 * Reads a whole body into one buffer, refusing more than `limit` bytes. A refused body is
 * left unread rather than destroyed: destroying it resets the connection before the 413 goes out.
 */
export async function readBody(source: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source.iterator({ destroyOnReturn: false })) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/**
 * Reads and drops what is left of a request body, so a kept-alive connection can serve its next
 * request. By 'readable' and read(): resume() does nothing on a request an iterator has just let
 * go of, and Node's own discard skips a body someone began to read.
 */
export function dropRest(req: Readable): void {
  if (req.readableEnded) return;
  const drop = () => {
    while (req.read() !== null) {
      /* dropped */
    }
  };
  const stop = () => {
    req.off("readable", drop);
  };
  req.on("readable", drop);
  req.once("end", stop);
  req.once("close", stop);
  drop();
}
