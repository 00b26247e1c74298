import type { Job } from "../../client/jobWait";
import type { VirtualMachine } from "../../client/resources";
import { renderTable, type Column, type Field } from "../output";
import { bytes, time } from "./format";

export const jobColumns: Column<Job>[] = [
  { header: "Job", cell: (j) => j.displayName },
  { header: "State", cell: (j) => j.state },
  { header: "Progress", cell: (j) => `${j.progress}%` },
  { header: "Started", cell: (j) => time(j.startTime ?? j.createTime) },
  { header: "Ended", cell: (j) => time(j.endTime) },
  { header: "Id", cell: (j) => j.id },
];

export const jobFields: Field<Job>[] = [
  ["Job", (j) => j.displayName],
  ["Id", (j) => j.id],
  ["State", (j) => j.state],
  ["Progress", (j) => `${j.progress}%`],
  ["Server", (j) => j.itemId],
  ["Created", (j) => time(j.createTime)],
  ["Started", (j) => time(j.startTime)],
  ["Ended", (j) => time(j.endTime)],
  ["Cancel requested", (j) => time(j.cancelRequestedTime)],
];

const taskColumns: Column<Job["tasks"][number]>[] = [
  { header: "Task", cell: (t) => t.name },
  { header: "State", cell: (t) => t.state },
  {
    header: "Note",
    cell: (t) =>
      [
        t.note ?? "",
        ...(t.state === "WaitingForAction" && t.instructions ? [`waiting: ${t.instructions}`] : []),
        ...(t.comment ? [`comment: ${t.comment}`] : []),
        ...t.errors.map((e) => `${e.code}: ${e.message}`),
      ]
        .filter((line) => line !== "")
        .join("\n"),
  },
];

/** What the job result holds, when it is a list of disks with their SHA-256 (a verification). */
function diskDigests(job: Job): { diskId: string; sha256: string }[] {
  const disks = job.result?.disks;
  return Array.isArray(disks) ? (disks as { diskId: string; sha256: string }[]) : [];
}

/** A job's tasks, warnings, errors and result after its fields. */
export async function jobSections(job: Job): Promise<string[]> {
  const sections = [await renderTable(job.tasks, taskColumns)];
  for (const warning of job.warnings) sections.push(`warning: ${warning}`);
  for (const error of job.errors) {
    sections.push(
      `error ${error.code}: ${error.message}${error.recommendedAction ? `\n  → ${error.recommendedAction}` : ""}`,
    );
  }
  const digests = diskDigests(job);
  if (digests.length > 0) {
    sections.push(
      await renderTable(digests, [
        { header: "Disk", cell: (d) => d.diskId },
        { header: "SHA-256", cell: (d) => d.sha256 },
      ]),
    );
  }
  return sections;
}

export const vmColumns: Column<VirtualMachine>[] = [
  { header: "Name", cell: (v) => v.name },
  { header: "Kind", cell: (v) => v.kind },
  { header: "State", cell: (v) => v.state },
  { header: "Size", cell: (v) => v.vmSize },
  { header: "Network", cell: (v) => `${v.network}${v.subnet ? `/${v.subnet}` : ""}` },
  { header: "IP", cell: (v) => v.networkInterface.privateIpAddress },
  { header: "Created", cell: (v) => time(v.createdAt) },
];

export const vmFields: Field<VirtualMachine>[] = [
  ["Name", (v) => v.name],
  ["Id", (v) => v.id],
  ["Kind", (v) => v.kind],
  ["State", (v) => v.state],
  ["Size", (v) => v.vmSize],
  ["OS", (v) => v.osType],
  ["Resource group", (v) => v.resourceGroup],
  ["Network", (v) => `${v.network}${v.subnet ? `/${v.subnet}` : ""}`],
  ["NIC", (v) => `${v.networkInterface.name} ${v.networkInterface.privateIpAddress}`],
  ["Recovery point", (v) => v.recoveryPointId],
  ["Created", (v) => time(v.createdAt)],
];

export async function vmSections(vm: VirtualMachine): Promise<string[]> {
  return [
    await renderTable(vm.disks, [
      { header: "Disk", cell: (d) => `${d.diskId}${d.isOsDisk ? " (OS)" : ""}` },
      { header: "Type", cell: (d) => d.diskType },
      { header: "Size", cell: (d) => bytes(d.sizeBytes) },
      { header: "VHD bytes", cell: (d) => String(d.vhdSizeBytes) },
    ]),
  ];
}
