/**
 * Size of a block device, which fs.stat reports as 0: sysfs gives it in 512-byte sectors,
 * `blockdev --getsize64` is the fallback where sysfs is missing.
 */
import { execFile } from "node:child_process";
import { readFile, realpath } from "node:fs/promises";
import { basename } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function blockDeviceSize(devicePath: string): Promise<number> {
  const name = basename(await realpath(devicePath));
  try {
    const sectors = Number((await readFile(`/sys/class/block/${name}/size`, "utf8")).trim());
    if (Number.isSafeInteger(sectors) && sectors >= 0) return sectors * 512;
  } catch {
    // No sysfs entry (container, other OS): ask blockdev.
  }
  const { stdout } = await run("blockdev", ["--getsize64", devicePath]);
  const bytes = Number(stdout.trim());
  if (!Number.isSafeInteger(bytes)) throw new Error(`blockdev gave no size for ${devicePath}`);
  return bytes;
}
