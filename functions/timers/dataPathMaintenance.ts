import { app } from "@azure/functions";
import { maintainDataPath } from "../../shared/replication/points";
import { services } from "../../shared/services";

/** Every minute: late applies, retention, and the sweep of orphaned cache blobs and snapshots. */
app.timer("dataPathMaintenance", {
  schedule: "0 * * * * *",
  handler: async (_timer, context) => {
    const report = await maintainDataPath(services());
    if (report.applied + report.pruned + report.sweptBlobs + report.sweptSnapshots > 0)
      context.log(`Data path maintenance: ${JSON.stringify(report)}`);
  },
});
