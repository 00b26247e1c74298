/**
 * Starts the OpenTelemetry SDK that FERRY_TELEMETRY names, once per process, before any function
 * runs. Each SDK loads only in its own mode (Azure Monitor's distro alone is several MiB to
 * load), so "off" — the default without Application Insights — adds nothing to a cold start.
 */
import { metrics, ProxyTracerProvider, trace } from "@opentelemetry/api";
import type { TelemetrySettings } from "../config";
import { renewInstruments } from "./instruments";

export interface TelemetryRuntime {
  mode: TelemetrySettings["mode"];
  /** Exports what is recorded so far (spans and metrics). */
  flush(): Promise<void>;
  /** Flushes and stops exporting. */
  shutdown(): Promise<void>;
}

const resourceAttributes = (version: string) => ({ "service.name": "ferry", "service.version": version });

/** Flushes a provider the distro registered; the API's types do not promise it can. */
function flushed(provider: object): Promise<void> | undefined {
  if (!("forceFlush" in provider) || typeof provider.forceFlush !== "function") return undefined;
  return (provider.forceFlush as () => Promise<void>).call(provider);
}

/** Application Insights through the Azure Monitor distro (it also traces HTTP and the Azure SDK calls). */
async function startAzureMonitor(connectionString: string, version: string): Promise<TelemetryRuntime> {
  const [{ useAzureMonitor, shutdownAzureMonitor }, { resourceFromAttributes }] = await Promise.all([
    import("@azure/monitor-opentelemetry"),
    import("@opentelemetry/resources"),
  ]);
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    resource: resourceFromAttributes(resourceAttributes(version)),
  });
  return {
    mode: "azure",
    flush: async () => {
      const tracerProvider = trace.getTracerProvider();
      const registered = tracerProvider instanceof ProxyTracerProvider ? tracerProvider.getDelegate() : tracerProvider;
      await Promise.all([flushed(metrics.getMeterProvider()), flushed(registered)]);
    },
    shutdown: () => shutdownAzureMonitor(),
  };
}

type Exporting = Extract<TelemetrySettings, { mode: "otlp" | "console" }>;

/** The span and metric exporters of the OTLP/HTTP (JSON) or console mode. */
async function exportersFor(settings: Exporting) {
  if (settings.mode === "console") {
    const [{ ConsoleSpanExporter }, { ConsoleMetricExporter }] = await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/sdk-metrics"),
    ]);
    return { spans: new ConsoleSpanExporter(), metrics: new ConsoleMetricExporter() };
  }
  const [{ OTLPTraceExporter }, { OTLPMetricExporter }] = await Promise.all([
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/exporter-metrics-otlp-http"),
  ]);
  return {
    spans: new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` }),
    metrics: new OTLPMetricExporter({ url: `${settings.endpoint}/v1/metrics` }),
  };
}

/** The plain SDK: a tracer provider with batched export and a meter provider read periodically. */
async function startSdk(settings: Exporting, version: string): Promise<TelemetryRuntime> {
  const [{ NodeTracerProvider, BatchSpanProcessor }, { MeterProvider, PeriodicExportingMetricReader }, resources] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/sdk-metrics"),
      import("@opentelemetry/resources"),
    ]);
  const exporters = await exportersFor(settings);
  const resource = resources.resourceFromAttributes(resourceAttributes(version));
  const spans = new BatchSpanProcessor(exporters.spans, { scheduledDelayMillis: settings.spanDelayMillis });
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [spans] });
  // Registers the async-local context too, so a use case's inner spans nest under it.
  tracerProvider.register();
  const reader = new PeriodicExportingMetricReader({
    exporter: exporters.metrics,
    exportIntervalMillis: settings.metricIntervalMillis,
    exportTimeoutMillis: Math.min(30_000, settings.metricIntervalMillis),
  });
  const meterProvider = new MeterProvider({ resource, readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    mode: settings.mode,
    flush: async () => {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** Starts what `settings` names; "off" loads nothing and registers nothing. */
export async function startTelemetry(settings: TelemetrySettings, version: string): Promise<TelemetryRuntime> {
  if (settings.mode === "off") return { mode: "off", flush: async () => undefined, shutdown: async () => undefined };
  const runtime =
    settings.mode === "azure"
      ? await startAzureMonitor(settings.connectionString, version)
      : await startSdk(settings, version);
  renewInstruments();
  return runtime;
}
