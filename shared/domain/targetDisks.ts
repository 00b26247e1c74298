import { errors } from "./errors";
import { fail, ok, type Result } from "./result";
import type { SizingNeeds } from "./vmSizing";

/** Azure managed disk SKUs a migrated disk may use. */
export const diskTypes = ["Standard_LRS", "StandardSSD_LRS", "Premium_LRS"] as const;
export type DiskType = (typeof diskTypes)[number];

/** Ferry's default: SSD latency without premium's price or VM-size constraints. */
export const defaultDiskType: DiskType = "StandardSSD_LRS";

/** Azure's limits: a data disk up to 32 TiB (32,767 GiB), an OS disk up to 4 TiB (4,095 GiB) for Gen1 VMs. */
export const maxDataDiskBytes = 32_767 * 2 ** 30;
export const maxOsDiskBytes = 4_095 * 2 ** 30;

export interface SourceDisk {
  readonly id: string;
  readonly sizeBytes: number;
  readonly isBoot: boolean;
}

export interface TargetDiskChoice {
  readonly diskId: string;
  readonly include: boolean;
  readonly diskType: DiskType;
}

export interface PlannedDisk {
  readonly diskId: string;
  readonly sizeBytes: number;
  readonly isOsDisk: boolean;
  readonly include: boolean;
  readonly diskType: DiskType;
}

export interface DiskPlanInput {
  readonly sourceDisks: readonly SourceDisk[];
  readonly choices?: readonly TargetDiskChoice[];
  readonly osDiskId?: string;
}

function unknownChoice(input: DiskPlanInput): Result<never> | undefined {
  const index = (input.choices ?? []).findIndex(
    (choice) => !input.sourceDisks.some((disk) => disk.id === choice.diskId),
  );
  if (index < 0) return undefined;
  const diskId = input.choices?.[index]?.diskId ?? "";
  return fail(errors.invalidInput(`The machine has no disk '${diskId}'.`, `target.disks[${index}].diskId`));
}

function osDiskOf(input: DiskPlanInput): Result<SourceDisk> {
  const osDisk =
    input.osDiskId === undefined
      ? input.sourceDisks.find((disk) => disk.isBoot)
      : input.sourceDisks.find((disk) => disk.id === input.osDiskId);
  if (osDisk === undefined) {
    return fail(
      errors.invalidInput(
        input.osDiskId === undefined
          ? "The machine reported no boot disk; set target.osDiskId."
          : `The machine has no disk '${input.osDiskId}'.`,
        "target.osDiskId",
      ),
    );
  }
  return ok(osDisk);
}

function sizeProblem(disk: PlannedDisk): string | undefined {
  const limit = disk.isOsDisk ? maxOsDiskBytes : maxDataDiskBytes;
  if (!disk.include || disk.sizeBytes <= limit) return undefined;
  const gib = (bytes: number) => Math.ceil(bytes / 2 ** 30);
  return (
    `Disk '${disk.diskId}' is ${gib(disk.sizeBytes)} GiB; ` +
    `Azure allows at most ${gib(limit)} GiB for ${disk.isOsDisk ? "an OS" : "a data"} disk.`
  );
}

/**
 * Which source disks become target disks, and as what. Unlisted disks are included with the
 * default type; the OS disk (the boot disk unless `osDiskId` says otherwise) must be included.
 */
export function planTargetDisks(input: DiskPlanInput): Result<PlannedDisk[]> {
  const unknown = unknownChoice(input);
  if (unknown !== undefined) return unknown;
  const osDisk = osDiskOf(input);
  if (!osDisk.ok) return osDisk;
  const plan = input.sourceDisks.map((disk): PlannedDisk => {
    const choice = input.choices?.find((candidate) => candidate.diskId === disk.id);
    return {
      diskId: disk.id,
      sizeBytes: disk.sizeBytes,
      isOsDisk: disk.id === osDisk.value.id,
      include: choice?.include ?? true,
      diskType: choice?.diskType ?? defaultDiskType,
    };
  });
  if (plan.some((disk) => disk.isOsDisk && !disk.include)) {
    return fail(errors.invalidInput(`The OS disk '${osDisk.value.id}' cannot be excluded.`, "target.disks"));
  }
  const tooBig = plan.map(sizeProblem).find((problem) => problem !== undefined);
  return tooBig === undefined ? ok(plan) : fail(errors.invalidInput(tooBig, "target.disks"));
}

/** What VM sizing needs to know about a disk plan. */
export function sizingNeedsFor(
  machine: { readonly cpus: number; readonly memoryMiB: number },
  plan: readonly PlannedDisk[],
): SizingNeeds {
  const included = plan.filter((disk) => disk.include);
  return {
    cpus: machine.cpus,
    memoryMiB: machine.memoryMiB,
    dataDiskCount: included.filter((disk) => !disk.isOsDisk).length,
    premium: included.some((disk) => disk.diskType === "Premium_LRS"),
  };
}
