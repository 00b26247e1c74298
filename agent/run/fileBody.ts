/**
 * Streams a spooled batch file into a request through two reused buffers, one being read
 * while the other is on the socket. A read stream would allocate a fresh buffer per read,
 * megabytes of garbage per batch that the GC frees late; here a buffer is refilled only once
 * the socket has taken its bytes (the write's callback), so what is sent is what was read.
 */
import { open } from "node:fs/promises";
import type { Writable } from "node:stream";

export const PIECE_BYTES = 256 * 1024;

/** Writes `length` bytes of `file` to `out` and ends it; `pace` runs before each piece goes out (throttle, figures). */
export async function writeFileBody(
  file: string,
  length: number,
  out: Writable,
  pace: (bytes: number) => Promise<void>,
): Promise<void> {
  const handle = await open(file, "r");
  const closed = closedEarly(out);
  try {
    const buffers = [Buffer.allocUnsafe(PIECE_BYTES), Buffer.allocUnsafe(PIECE_BYTES)] as const;
    const onSocket: [Promise<void>, Promise<void>] = [Promise.resolve(), Promise.resolve()];
    for (let at = 0, turn = 0; at < length; turn ^= 1) {
      await Promise.race([onSocket[turn], closed]);
      const buffer = buffers[turn];
      const { bytesRead } = await handle.read(buffer, 0, Math.min(PIECE_BYTES, length - at), at);
      if (bytesRead === 0) throw new Error(`${file} is shorter than the ${length} bytes announced.`);
      at += bytesRead;
      await pace(bytesRead);
      onSocket[turn] = written(out, buffer.subarray(0, bytesRead));
    }
    await Promise.race([Promise.all(onSocket), closed]);
    out.end();
  } finally {
    await handle.close();
  }
}

/** Resolves once `out` has handed the bytes on (to the kernel, or to TLS), so their buffer may be reused. */
function written(out: Writable, bytes: Buffer): Promise<void> {
  return quiet(
    new Promise<void>((resolve, reject) => {
      out.write(bytes, (error) => (error ? reject(error) : resolve()));
    }),
  );
}

/** A request torn down before it connected may never call back its queued writes: its close ends the wait. */
function closedEarly(out: Writable): Promise<never> {
  return quiet(
    new Promise<never>((_, reject) => {
      out.once("close", () => reject(new Error("The request closed before its body was sent.")));
    }),
  );
}

/** Awaited later (or never, once the body is sent): a failure must not count as unhandled meanwhile. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
