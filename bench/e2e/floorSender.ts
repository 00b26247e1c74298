/**
 * The least an agent can do (child process of the relay floor, bench/e2e/relayFloor.ts): read
 * the image in 1 MiB units, skip all-zero units, and send the rest as 64 MiB requests of
 * records `u64 offset | u32 length | bytes` to the relay, the next request prepared while the
 * current one is on the wire.
 *
 * FLOOR_WORK=design adds the work Ferry's design cannot drop: an XXH64 of every 4 KiB block
 * (the digest map), a CRC-32 of every unit (the extent checksum), a SHA-256 of the body (the
 * signature) and a spool file the body is sent from (a signed body is known before it is sent).
 * Usage: node floorSender.js <relay port> <image> <spool dir>; prints `sent <seconds> s, cpu <seconds> s`.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { crc32 } from "node:zlib";
import { xxh64 } from "@node-rs/xxhash";

const UNIT = 1024 * 1024;
const REQUEST_BYTES = 64 * UNIT;
const RECORD_HEADER = 12;
const design = process.env.FLOOR_WORK === "design";
const zeros = Buffer.alloc(UNIT);
const agent = new http.Agent({ keepAlive: true });

interface Prepared {
  /** Spooled body (design work) or the body's buffers. */
  file?: string;
  buffers: Buffer[];
  bytes: number;
  sha256: string;
}

async function prepare(image: FileHandle, from: number, to: number, spool: string): Promise<Prepared> {
  const sha = createHash("sha256");
  const out = design ? await open(spool, "w") : undefined;
  const buffers: Buffer[] = [];
  let bytes = 0;
  const unit = Buffer.allocUnsafe(UNIT);
  try {
    for (let at = from; at < to; at += UNIT) {
      const { bytesRead } = await image.read(unit, 0, Math.min(UNIT, to - at), at);
      const data = unit.subarray(0, bytesRead);
      if (data.equals(zeros.subarray(0, bytesRead))) continue;
      const header = Buffer.alloc(RECORD_HEADER);
      header.writeBigUInt64LE(BigInt(at), 0);
      header.writeUInt32LE(bytesRead, 8);
      if (design) {
        for (let block = 0; block < bytesRead; block += 4096) xxh64(data.subarray(block, block + 4096));
        crc32(data);
        sha.update(header).update(data);
        await out?.write(header);
        await out?.write(data);
      } else {
        buffers.push(header, Buffer.from(data));
      }
      bytes += RECORD_HEADER + bytesRead;
    }
  } finally {
    await out?.close();
  }
  return { file: design ? spool : undefined, buffers, bytes, sha256: design ? sha.digest("hex") : "" };
}

function send(port: number, body: Prepared): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { port, host: "127.0.0.1", method: "PUT", path: "/", agent, headers: { "content-length": body.bytes } },
      (response) => {
        let text = "";
        response
          .setEncoding("utf8")
          .on("data", (chunk: string) => {
            text += chunk;
          })
          .on("end", () => {
            const answer = JSON.parse(text) as { sha256?: string; error?: string };
            if (response.statusCode !== 200 || answer.error) reject(new Error(`relay: ${response.statusCode} ${text}`));
            else if (design && answer.sha256 !== body.sha256) reject(new Error("relay: body digest differs"));
            else resolve();
          });
      },
    );
    request.on("error", reject);
    if (body.file) {
      createReadStream(body.file, { highWaterMark: UNIT }).on("error", reject).pipe(request);
    } else {
      for (const buffer of body.buffers) request.write(buffer);
      request.end();
    }
  });
}

async function main(): Promise<void> {
  const [port, imagePath, spoolDir] = process.argv.slice(2) as [string, string, string];
  const image = await open(imagePath, "r");
  const size = (await image.stat()).size;
  const started = performance.now();
  const spoolFor = (n: number) => path.join(spoolDir, `floor-${n % 2}.body`);
  let next: Promise<Prepared> | undefined = prepare(image, 0, Math.min(REQUEST_BYTES, size), spoolFor(0));
  for (let at = 0, n = 0; next; at += REQUEST_BYTES, n += 1) {
    const body: Prepared = await next;
    const following = at + REQUEST_BYTES;
    next =
      following < size
        ? prepare(image, following, Math.min(following + REQUEST_BYTES, size), spoolFor(n + 1))
        : undefined;
    if (body.bytes > 0) await send(Number(port), body);
    if (body.file) await rm(body.file, { force: true });
  }
  await image.close();
  const cpu = process.cpuUsage();
  console.log(
    `sent ${((performance.now() - started) / 1000).toFixed(3)} s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
