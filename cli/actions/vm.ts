import { downloadDisk as download, type DownloadProgress } from "../../client/node/downloadFile";
import { routes } from "../../shared/api/routes";
import { ResolveError } from "../cliErrors";
import type { Invocation } from "../commandKit";
import { resolveVm } from "../lookups";
import { note, printJson, printList, printObject } from "../output";
import { Session } from "../session";
import { bytes } from "../views/format";
import { vmColumns, vmFields, vmSections } from "../views/jobViews";

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  await printList(session, await project.listAll(routes.listVirtualMachines), vmColumns, "No VMs yet.");
}

export async function show({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  await printObject(session, await resolveVm(await session.project(), args[0]), vmFields, vmSections);
}

async function progressBar(totalBytes: number): Promise<{ update(p: DownloadProgress): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const { SingleBar, Presets } = await import("cli-progress");
  const bar = new SingleBar(
    {
      format: " {bar} {percentage}% | {done} of {total} | ETA {eta_formatted}",
      hideCursor: true,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { done: bytes(0), total: bytes(totalBytes) });
  return {
    update: (p) => bar.update(p.bytes, { done: bytes(p.bytes), total: bytes(totalBytes) }),
    stop: () => bar.stop(),
  };
}

/** Downloads a disk's fixed VHD; a partial file from an earlier run is resumed with a Range request. */
export async function downloadDisk({ args, options }: Invocation<{ disk: string; file: string }>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const vm = await resolveVm(project, args[0]);
  const disk = vm.disks.find((d) => d.diskId === options.disk);
  if (!disk) {
    const known = vm.disks.map((d) => d.diskId).join(", ");
    throw new ResolveError("NotFound", `VM ${vm.name} has no disk "${options.disk}"; it has: ${known}.`, "disk");
  }
  const bar = await progressBar(disk.vhdSizeBytes);
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once("SIGINT", onInterrupt);
  let result: DownloadProgress;
  try {
    result = await download(project, {
      vmId: vm.id,
      diskId: disk.diskId,
      file: options.file,
      totalBytes: disk.vhdSizeBytes,
      onProgress: (p) => bar.update(p),
      signal: stop.signal,
    });
  } finally {
    process.off("SIGINT", onInterrupt);
    bar.stop();
  }
  const shown = { file: options.file, bytes: result.bytes, resumedFrom: result.resumedFrom };
  if (session.json) printJson(shown);
  const resumed = result.resumedFrom > 0 ? `, resumed at ${bytes(result.resumedFrom)}` : "";
  note(`${vm.name} ${disk.diskId}: ${bytes(result.bytes)} in ${options.file}${resumed}.`);
}
