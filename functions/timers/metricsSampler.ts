import { app } from "@azure/functions";
import { metricsSampleSchedule } from "../../shared/config";
import { sampleItems } from "../../shared/metrics/sampleItems";
import { services } from "../../shared/services";

/** Every FERRY_METRICS_SAMPLE_SECONDS (default a minute): one sample of each replicating server's figures. */
app.timer("metricsSampler", {
  schedule: metricsSampleSchedule(process.env),
  handler: async (_timer, context) => {
    const report = await sampleItems(services());
    if (report.pruned + report.removed > 0) context.log(`Metrics sampling: ${JSON.stringify(report)}`);
  },
});
