import type { ControlPlaneDeps } from "../controlPlane/deps";
import type { TargetProvider } from "../target/targetProvider";

/** What the plan use cases need: the control plane, the target's VMs (for webhooks) and the webhook rules. */
export interface PlanDeps extends ControlPlaneDeps {
  targets: TargetProvider;
  config: { webhookAllowedHosts?: readonly string[]; finalSyncTimeoutSeconds: number };
}
