/**
 * What a cycle reads and how its recovery point may be labelled (docs/agent-run.md, "Consistency"): CrashConsistent
 * only when the cycle reads one instant of the source (snapshots of every disk, or a source
 * frozen by the freeze hooks for the whole read); ApplicationConsistent when the freeze hooks
 * also ran for it; Inconsistent otherwise, never labelled better than it is.
 */
import type { Logger } from "./log";
import type { PointType } from "./protocol";
import { runHook } from "./hooks";
import { takeSnapshot, type DiskView } from "./snapshots";

export interface FreezeHooks {
  freeze: string;
  thaw: string;
}

export interface ViewRequest {
  disks: Array<{ diskId: string; path: string }>;
  /** Some disk is in its initial copy, which spans runs and hours: read live, label Inconsistent. */
  live: boolean;
  hooks?: FreezeHooks;
  /** The application-consistent interval has passed: quiesce applications for this point. */
  wantApp: boolean;
  /** The source was shut down for a migration: nothing changes while it is read, so the read is one instant. */
  quiesced?: boolean;
  snapshotDir: string;
  log: Logger;
}

export interface CycleView {
  type: PointType;
  sourceTime: string;
  /** How the view was made, for the cycle's log line. */
  how: string;
  pathOf(diskId: string): string;
  release(): Promise<void>;
}

export async function openCycleView(request: ViewRequest): Promise<CycleView> {
  if (request.live) return liveView(request, "initial copy reads the live disk");
  if (request.quiesced) return { ...liveView(request, "the source is shut down"), type: "CrashConsistent" };
  // With snapshots, applications need be frozen only while the snapshots are taken.
  const frozen = request.hooks && request.wantApp ? await hook(request, "freeze") : false;
  const sourceTime = new Date().toISOString();
  const snapshots = await snapshotAll(request);
  if (request.hooks && request.wantApp) await hook(request, "thaw");
  if ("views" in snapshots) {
    const views = snapshots.views;
    return {
      type: frozen ? "ApplicationConsistent" : "CrashConsistent",
      sourceTime,
      how: frozen ? "snapshots taken while frozen" : "snapshots",
      pathOf: (diskId) => views.get(diskId)?.path ?? missing(diskId),
      release: async () => {
        await Promise.all([...views.values()].map((view) => view.release()));
      },
    };
  }
  if (request.hooks) return frozenView(request, snapshots.unsupported);
  return liveView(request, `no snapshot (${snapshots.unsupported}) and no freeze hooks`);
}

/** No snapshot: the hooks keep the source frozen for the whole read. */
async function frozenView(request: ViewRequest, why: string): Promise<CycleView> {
  if (!(await hook(request, "freeze"))) {
    await hook(request, "thaw");
    return liveView(request, `no snapshot (${why}) and the freeze hook failed`);
  }
  return {
    type: request.wantApp ? "ApplicationConsistent" : "CrashConsistent",
    sourceTime: new Date().toISOString(),
    how: `frozen by hooks (no snapshot: ${why})`,
    pathOf: (diskId) => pathIn(request, diskId),
    release: async () => {
      await hook(request, "thaw");
    },
  };
}

function liveView(request: ViewRequest, why: string): CycleView {
  return {
    type: "Inconsistent",
    sourceTime: new Date().toISOString(),
    how: why,
    pathOf: (diskId) => pathIn(request, diskId),
    release: async () => undefined,
  };
}

async function snapshotAll(request: ViewRequest): Promise<{ views: Map<string, DiskView> } | { unsupported: string }> {
  const views = new Map<string, DiskView>();
  for (const disk of request.disks) {
    const result = await takeSnapshot(disk.diskId, disk.path, request.snapshotDir);
    if ("view" in result) {
      views.set(disk.diskId, result.view);
      continue;
    }
    await Promise.all([...views.values()].map((view) => view.release()));
    return { unsupported: `${disk.diskId}: ${result.unsupported}` };
  }
  return { views };
}

async function hook(request: ViewRequest, which: "freeze" | "thaw"): Promise<boolean> {
  const command = request.hooks?.[which];
  if (!command) return false;
  const result = await runHook(command, { FERRY_HOOK: which });
  if (!result.ok) request.log.error(`${which} hook failed (${result.detail})`);
  return result.ok;
}

function pathIn(request: ViewRequest, diskId: string): string {
  return request.disks.find((disk) => disk.diskId === diskId)?.path ?? missing(diskId);
}

function missing(diskId: string): never {
  throw new Error(`No view of ${diskId} in this cycle.`);
}
