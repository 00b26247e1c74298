import type { ControlPlaneDeps } from "../../controlPlane/deps";
import { dataPathDeps, type DataPathDeps } from "../../replication/store";
import type { TargetProvider } from "../../target/targetProvider";

/** What failover tasks need: the data path (points, replicas) and where target VMs are made. */
export interface FailoverDeps extends DataPathDeps {
  targets: TargetProvider;
}

/** Job tasks receive the control plane's deps; in the app they are the full services, which this checks. */
export function failoverDeps(deps: ControlPlaneDeps): FailoverDeps {
  const data = dataPathDeps(deps);
  if (!("targets" in data)) throw new Error("Failover needs the target provider.");
  return data as FailoverDeps;
}
