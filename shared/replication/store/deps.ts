import type { ControlPlaneDeps } from "../../controlPlane/deps";
import type { CacheBlobs } from "../../storage/cacheBlobs";
import type { ReplicaBlobs } from "../../storage/replicaBlobs";
import type { DataKeys } from "./dataKeys";

/** What the process server's use cases need on top of the control plane's tables and secrets. */
export interface DataPathDeps extends ControlPlaneDeps {
  cache: CacheBlobs;
  replicas: ReplicaBlobs;
  dataKeys: DataKeys;
  dataPathSettings: { applyInline: boolean; cycleIntervalSeconds?: number };
}

/** Job tasks receive the control plane's deps; in the app they are the full services, which this checks. */
export function dataPathDeps(deps: ControlPlaneDeps): DataPathDeps {
  if (!("replicas" in deps && "cache" in deps && "dataKeys" in deps))
    throw new Error("This task needs the data path's services.");
  return deps as DataPathDeps;
}
