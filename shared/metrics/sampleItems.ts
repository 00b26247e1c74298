/**
 * The sampling timer's work: every replicating server's grid figures, recorded as one sample,
 * samples past the policy's retention pruned, and the samples of servers no longer there removed.
 * It reads item rows as the grid does, so the data path needs no hook to feed it.
 */
import type { ControlPlaneDeps } from "../controlPlane/deps";
import { itemView } from "../controlPlane/items";
import { sampleCutoff, sampleOf } from "../domain/metricSeries";
import type { ItemRow } from "../storage/rows";
import { attributeNames, inSpan, measureHealthRaised, spanNames } from "../telemetry";
import type { MetricStore } from "./metricStore";

export interface MetricDeps extends ControlPlaneDeps {
  metrics: MetricStore;
  metricsSettings: { sampleSeconds: number };
}

export interface SamplingReport {
  sampled: number;
  pruned: number;
  removed: number;
}

async function sampleItem(deps: MetricDeps, projectId: string, itemId: string, row: ItemRow): Promise<number> {
  const now = deps.now();
  const view = await itemView(deps, projectId, itemId, row);
  // Samples a few periods back still count as the one before: a late timer run raises nothing anew.
  const before = await deps.metrics.lastHealthErrors(
    itemId,
    new Date(now.getTime() - 3000 * deps.metricsSettings.sampleSeconds),
  );
  await deps.metrics.record(projectId, itemId, sampleOf(view, now));
  measureHealthRaised(view.healthErrors.filter((error) => !before.includes(error.code)));
  const policy = await deps.stores.policies.get(projectId, row.policyId);
  if (!policy) return 0;
  const cutoff = sampleCutoff(now, policy.value.recoveryPointRetentionHours, deps.metricsSettings.sampleSeconds);
  return deps.metrics.pruneBefore(itemId, cutoff);
}

/** Samples of items that are gone (migration completed): removed a few hundred at a time. */
async function removeGone(deps: MetricDeps, present: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  for await (const { itemId } of deps.metrics.sampledItems()) {
    if (present.has(itemId)) continue;
    const deleted = await deps.metrics.pruneBefore(itemId, undefined);
    if (deleted === 0) await deps.metrics.forget(itemId);
    removed += deleted;
  }
  return removed;
}

export function sampleItems(deps: MetricDeps): Promise<SamplingReport> {
  return inSpan(spanNames.healthSample, {}, async (span) => {
    const report = await sampleAll(deps);
    span.setAttribute(attributeNames.sampledItems, report.sampled);
    return report;
  });
}

async function sampleAll(deps: MetricDeps): Promise<SamplingReport> {
  await Promise.all([deps.stores.ready(), deps.metrics.ready()]);
  const report: SamplingReport = { sampled: 0, pruned: 0, removed: 0 };
  const present = new Set<string>();
  let failure: unknown;
  for await (const project of deps.stores.projects.partition("project")) {
    for await (const found of deps.stores.items.partition(project.rowKey)) {
      present.add(found.rowKey);
      // One item's trouble must not cost the others their samples.
      await sampleItem(deps, project.rowKey, found.rowKey, found.value).then(
        (pruned) => {
          report.sampled += 1;
          report.pruned += pruned;
        },
        (error: unknown) => (failure ??= error),
      );
    }
  }
  report.removed = await removeGone(deps, present);
  if (failure !== undefined) throw failure;
  return report;
}
