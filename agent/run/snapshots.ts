/**
 * Snapshot providers: one instant of a source disk to read instead of the live one. An image
 * file gets a reflink copy (FICLONE: shares blocks, costs no copy); a block device that is an
 * LVM logical volume gets an LVM snapshot. Anything else has no provider here.
 */
import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { copyFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface DiskView {
  path: string;
  release(): Promise<void>;
}

export type SnapshotResult = { view: DiskView } | { unsupported: string };

export async function takeSnapshot(diskId: string, sourcePath: string, snapshotDir: string): Promise<SnapshotResult> {
  const info = await stat(sourcePath);
  if (info.isFile()) return reflinkSnapshot(diskId, sourcePath, snapshotDir);
  if (info.isBlockDevice()) return lvmSnapshot(diskId, sourcePath);
  return { unsupported: "neither an image file nor a block device" };
}

async function reflinkSnapshot(diskId: string, sourcePath: string, snapshotDir: string): Promise<SnapshotResult> {
  const target = path.join(snapshotDir, `${diskId}.reflink`);
  await rm(target, { force: true });
  try {
    // FICLONE_FORCE fails rather than falling back to a slow, non-atomic full copy.
    await copyFile(sourcePath, target, constants.COPYFILE_FICLONE_FORCE);
  } catch (error) {
    await rm(target, { force: true });
    return { unsupported: `no reflink copy (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  return { view: { path: target, release: () => rm(target, { force: true }) } };
}

async function lvmSnapshot(diskId: string, device: string): Promise<SnapshotResult> {
  let volume: string;
  try {
    const { stdout } = await exec("lvs", ["--noheadings", "--separator", "/", "-o", "vg_name,lv_name", device]);
    volume = stdout.trim();
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(volume)) return { unsupported: "not an LVM logical volume" };
  } catch {
    return { unsupported: "not an LVM logical volume (or lvs is missing)" };
  }
  const group = volume.split("/")[0] as string;
  const name = `ferry_${diskId.replace(/[^\w]/g, "_")}_snap`;
  // A crashed run may have left its snapshot behind; it holds nothing we need.
  await exec("lvremove", ["-f", `${group}/${name}`]).catch(() => undefined);
  try {
    await exec("lvcreate", ["-s", "-n", name, "-l", "20%ORIGIN", volume]);
  } catch (error) {
    return {
      unsupported: `lvcreate -s failed (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
    };
  }
  return {
    view: {
      path: `/dev/${group}/${name}`,
      release: async () => {
        await exec("lvremove", ["-f", `${group}/${name}`]);
      },
    },
  };
}
