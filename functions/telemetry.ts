import { app } from "@azure/functions";
import { ferryVersion, telemetrySettings } from "../shared/config";
import { startTelemetry } from "../shared/telemetry";

/**
 * Ferry's telemetry starts as the app loads, before any function registers; the app's start waits
 * for it, so no invocation runs before its spans and metrics have somewhere to go. On the way out
 * what is recorded is flushed.
 */
const started = startTelemetry(telemetrySettings(process.env), ferryVersion).catch((error: unknown) => {
  console.warn(`Telemetry did not start: ${error instanceof Error ? error.message : String(error)}`);
  return undefined;
});

app.hook.appStart(async () => {
  await started;
});

app.hook.appTerminate(async () => {
  await (await started)?.shutdown();
});
