/**
 * A gzipped tar of one folder, the same bytes for the same files: names sorted, owner root, one
 * fixed time for every entry, GNU format (no pax atime/ctime records) and a gzip header without
 * a time. GNU tar does the archive; node:zlib the compression.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

export async function writeTarGz(parent: string, folder: string, out: string, mtimeSeconds: number): Promise<void> {
  const tar = spawn(
    "tar",
    [
      "--sort=name",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      `--mtime=@${mtimeSeconds}`,
      "--mode=u+rwX,go+rX,go-w",
      "--format=gnu",
      "-C",
      parent,
      "-cf",
      "-",
      folder,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<number | null>((resolve, reject) => {
    tar.once("error", reject);
    tar.once("close", resolve);
  });
  await pipeline(tar.stdout, zlib.createGzip(), fs.createWriteStream(out));
  const code = await exited;
  if (code !== 0) throw new Error(`tar exited with ${code} (GNU tar is needed to build the agent package).`);
}
