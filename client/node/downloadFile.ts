// Node only (files): the browser-safe client core stays free of node: modules.
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { routes } from "../../shared/api/routes";
import type { ProjectClient } from "../projectClient";

export interface DownloadProgress {
  /** Bytes in the file so far, including those a resumed download already had. */
  bytes: number;
  totalBytes: number;
  /** Bytes this run started from (0 unless resumed). */
  resumedFrom: number;
}

export interface DiskDownload {
  vmId: string;
  diskId: string;
  file: string;
  /** The disk's fixed VHD size: a file already this long is complete, a longer one starts over. */
  totalBytes: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** Downloads a VM disk's fixed VHD into a file, resuming with a Range request where a partial file exists. */
export async function downloadDisk(project: ProjectClient, download: DiskDownload): Promise<DownloadProgress> {
  const { file, totalBytes } = download;
  let resumedFrom = fs.existsSync(file) ? fs.statSync(file).size : 0;
  if (resumedFrom > totalBytes) resumedFrom = 0;
  const progress = { bytes: resumedFrom, totalBytes, resumedFrom };
  if (resumedFrom === totalBytes) return progress;
  const response = await project.client.send(
    routes.getVirtualMachineDisk,
    { params: { projectId: project.projectId, vmId: download.vmId, diskId: download.diskId }, signal: download.signal },
    resumedFrom > 0 ? { range: `bytes=${resumedFrom}-` } : {},
  );
  // A server that ignores Range answers 200 with the whole disk: start the file over.
  if (response.status !== 206) progress.bytes = progress.resumedFrom = 0;
  if (!response.body) throw new Error("The disk download had no body.");
  const counted = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
  counted.on("data", (chunk: Buffer) => {
    progress.bytes += chunk.length;
    download.onProgress?.({ ...progress });
  });
  await pipeline(counted, fs.createWriteStream(file, { flags: progress.resumedFrom > 0 ? "a" : "w" }), {
    signal: download.signal,
  });
  return progress;
}
