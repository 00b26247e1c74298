import type { ItemMetrics } from "../api/metrics";
import { getItemRow } from "../controlPlane/items";
import { healthChanges } from "../domain/metricSeries";
import type { MetricDeps } from "./sampleItems";

/** GET .../replicating-servers/{i}/metrics: the item's samples since `since` and its health history. */
export async function itemMetrics(
  deps: MetricDeps,
  projectId: string,
  itemId: string,
  since: Date | undefined,
): Promise<ItemMetrics> {
  await getItemRow(deps, projectId, itemId);
  await deps.metrics.ready();
  const samples = await deps.metrics.since(itemId, since);
  return { itemId, sampleSeconds: deps.metricsSettings.sampleSeconds, samples, healthChanges: healthChanges(samples) };
}
