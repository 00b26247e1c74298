import { app } from "@azure/functions";
import { pruneNonces } from "../../shared/controlPlane/nonces";
import { maintainDataPath } from "../../shared/replication/points";
import { services } from "../../shared/services";

/**
 * Every minute: late applies, retention, the sweep of orphaned cache blobs and snapshots, and the
 * replay nonces past the signature window.
 */
app.timer("dataPathMaintenance", {
  schedule: "0 * * * * *",
  handler: async (_timer, context) => {
    // Nonces first: an item whose housekeeping fails must not keep the table growing.
    const prunedNonces = await pruneNonces(services());
    const report = { ...(await maintainDataPath(services())), prunedNonces };
    if (Object.values(report).some((count) => count > 0))
      context.log(`Data path maintenance: ${JSON.stringify(report)}`);
  },
});
