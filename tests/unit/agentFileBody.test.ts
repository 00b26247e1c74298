import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PIECE_BYTES, writeFileBody } from "../../agent/run/fileBody";

/** A socket stand-in that takes its time: each write calls back later, as a busy connection does. */
class SlowSocket extends Writable {
  readonly received: Buffer[] = [];
  changedBeforeCallback = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const seen = Buffer.from(chunk);
    this.received.push(seen);
    setTimeout(() => {
      if (!chunk.equals(seen)) this.changedBeforeCallback = true;
      callback();
    }, 2);
  }
}

describe("sending a spooled batch file", () => {
  let dir: string;
  let file: string;
  let bytes: Buffer;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ferry-body-"));
    file = join(dir, "batch");
    bytes = randomBytes(7 * PIECE_BYTES + 123);
    await writeFile(file, bytes);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("sends the file's bytes, refilling a buffer only once the socket has taken its bytes", async () => {
    const socket = new SlowSocket();
    let paced = 0;
    await writeFileBody(file, bytes.length, socket, async (n) => {
      paced += n;
    });
    await finished(socket);
    expect(Buffer.concat(socket.received).equals(bytes)).toBe(true);
    expect(socket.changedBeforeCallback).toBe(false);
    expect(paced).toBe(bytes.length);
  });

  it("gives up when the request is torn down before its writes call back", async () => {
    const stuck = new Writable({ write: () => undefined });
    const sending = writeFileBody(file, bytes.length, stuck, async () => undefined);
    setTimeout(() => stuck.destroy(), 10);
    await expect(sending).rejects.toThrow();
  });
});
