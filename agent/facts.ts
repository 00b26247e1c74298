import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentDisk } from "./state";

/** A disk's size: a regular file's length, or a block device's size from sysfs. */
export function diskSize(devicePath: string): number {
  const stat = fs.statSync(devicePath);
  if (stat.isFile()) return stat.size;
  if (stat.isBlockDevice()) {
    const name = path.basename(fs.realpathSync(devicePath));
    const sectors = Number(fs.readFileSync(`/sys/class/block/${name}/size`, "utf8").trim());
    return sectors * 512;
  }
  throw new Error(`${devicePath} is neither a disk image file nor a block device.`);
}

/** Stable disk ids from the order given: disk0, disk1, ... */
export function describeDisks(paths: string[], bootPath?: string): AgentDisk[] {
  const boot = bootPath ? path.resolve(bootPath) : path.resolve(paths[0]);
  if (!paths.map((p) => path.resolve(p)).includes(boot))
    throw new Error(`--boot-disk ${bootPath} is not one of the --disk paths.`);
  return paths.map((p, i) => ({
    id: `disk${i}`,
    path: path.resolve(p),
    sizeBytes: diskSize(p),
    isBoot: path.resolve(p) === boot,
  }));
}

function biosId(): string | undefined {
  try {
    const id = fs.readFileSync("/sys/class/dmi/id/product_uuid", "utf8").trim();
    return id || undefined;
  } catch {
    return undefined;
  }
}

/** The machine's facts as the server's discovery shows them. */
export function machineFacts(hostname: string, disks: AgentDisk[]) {
  const nics = Object.values(os.networkInterfaces())
    .flat()
    .filter((n): n is os.NetworkInterfaceInfo => n !== undefined && !n.internal && n.family === "IPv4")
    .map((n) => ({ mac: n.mac, ip: n.address }));
  return {
    hostname,
    os: os.type(),
    osVersion: os.release(),
    cpus: os.cpus().length,
    memoryMiB: Math.round(os.totalmem() / 1048576),
    disks: disks.map((d) => ({ id: d.id, sizeBytes: d.sizeBytes, isBoot: d.isBoot })),
    nics,
    ...(biosId() ? { biosId: biosId() } : {}),
  };
}
