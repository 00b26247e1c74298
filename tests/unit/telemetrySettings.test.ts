// FERRY_TELEMETRY as config.ts reads it, and what starting each mode leaves in the process: "off"
// loads no SDK and registers nothing, so spans and metrics stay the API's no-ops.
import { metrics, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { telemetrySettings } from "../../shared/config";
import { inSpan, startTelemetry } from "../../shared/telemetry";

const connectionString =
  "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";
const sdkModules = () =>
  Object.keys(require.cache).filter((file) => /@opentelemetry[\\/]sdk-|monitor-opentelemetry/.test(file));

describe("FERRY_TELEMETRY", () => {
  it("defaults to Application Insights where its connection string is set, and to off elsewhere", () => {
    expect(telemetrySettings({})).toEqual({ mode: "off" });
    expect(telemetrySettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString })).toEqual({
      mode: "azure",
      connectionString,
    });
    expect(
      telemetrySettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, FERRY_TELEMETRY: "off" }),
    ).toEqual({ mode: "off" });
  });

  it("sends OTLP to the standard endpoint unless told another, at the SDK's default pace", () => {
    expect(telemetrySettings({ FERRY_TELEMETRY: "otlp" })).toEqual({
      mode: "otlp",
      endpoint: "http://localhost:4318",
      metricIntervalMillis: 60_000,
      spanDelayMillis: 5_000,
    });
    const told = {
      FERRY_TELEMETRY: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_METRIC_EXPORT_INTERVAL: "500",
    };
    expect(telemetrySettings(told)).toMatchObject({ endpoint: "http://collector:4318", metricIntervalMillis: 500 });
  });

  it("refuses an unknown mode, and Azure without a connection string, naming the setting", () => {
    expect(() => telemetrySettings({ FERRY_TELEMETRY: "jaeger" })).toThrow(/FERRY_TELEMETRY must be 'azure', 'otlp'/);
    expect(() => telemetrySettings({ FERRY_TELEMETRY: "azure" })).toThrow(/APPLICATIONINSIGHTS_CONNECTION_STRING/);
    expect(() => telemetrySettings({ FERRY_TELEMETRY: "console", OTEL_BSP_SCHEDULE_DELAY: "soon" })).toThrow(
      /OTEL_BSP_SCHEDULE_DELAY must be a positive number/,
    );
  });
});

describe("starting telemetry", () => {
  // In this order: once an SDK is registered in a process it stays.
  it("starts nothing when off: no SDK loaded, spans not recorded, no meter provider", async () => {
    const runtime = await startTelemetry(telemetrySettings({}), "0.1.0");
    expect(runtime.mode).toBe("off");
    expect(sdkModules()).toEqual([]);
    expect(await inSpan("probe", {}, async (span) => span.isRecording())).toBe(false);
    expect(metrics.getMeterProvider().constructor.name).toBe("NoopMeterProvider");
    await runtime.shutdown();
  });

  it("loads and registers the SDK in console mode, which the probes above would have seen", async () => {
    const runtime = await startTelemetry(telemetrySettings({ FERRY_TELEMETRY: "console" }), "0.1.0");
    expect(sdkModules().length).toBeGreaterThan(0);
    // Left unended: nothing is exported (or printed).
    expect(trace.getTracer("probe").startSpan("probe").isRecording()).toBe(true);
    expect(metrics.getMeterProvider().constructor.name).toBe("MeterProvider");
    await runtime.shutdown();
  });
});
