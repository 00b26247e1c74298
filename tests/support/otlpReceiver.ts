/**
 * A real OTLP/HTTP receiver on loopback, as a collector would listen: POST /v1/traces and
 * /v1/metrics with OTLP's JSON encoding (what the HTTP exporters send), decoded into spans and
 * metric data points a test can read.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
export type AttributeValue = string | number | boolean | undefined;

export interface ReceivedSpan {
  name: string;
  scope: string;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  /** 2 is an error, as OTLP codes it. */
  statusCode: number;
}

export interface ReceivedPoint {
  metric: string;
  unit: string;
  attributes: Record<string, AttributeValue>;
  /** A sum's value, or a histogram's count and sum. */
  value?: number;
  count?: number;
  sum?: number;
  timeUnixNano: number;
}

interface OtlpPoint {
  attributes?: KeyValue[];
  asInt?: string | number;
  asDouble?: number;
  count?: string | number;
  sum?: number;
  timeUnixNano: string | number;
}
interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: OtlpPoint[] };
  gauge?: { dataPoints: OtlpPoint[] };
  histogram?: { dataPoints: OtlpPoint[] };
}
interface Export {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      scope?: { name: string };
      spans?: { name: string; attributes?: KeyValue[]; status?: { code?: number } }[];
    }[];
  }[];
  resourceMetrics?: { scopeMetrics?: { metrics?: OtlpMetric[] }[] }[];
}

function valueOf(value: AnyValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.doubleValue ?? value.boolValue;
}

const attributesOf = (list: KeyValue[] = []) => Object.fromEntries(list.map((kv) => [kv.key, valueOf(kv.value)]));

function pointsOf(metric: OtlpMetric): ReceivedPoint[] {
  const points = metric.sum?.dataPoints ?? metric.gauge?.dataPoints ?? metric.histogram?.dataPoints ?? [];
  return points.map((p) => ({
    metric: metric.name,
    unit: metric.unit ?? "",
    attributes: attributesOf(p.attributes),
    value: p.asInt !== undefined ? Number(p.asInt) : p.asDouble,
    count: p.count === undefined ? undefined : Number(p.count),
    sum: p.sum,
    timeUnixNano: Number(p.timeUnixNano),
  }));
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly points: ReceivedPoint[] = [];
  /** Content types the exports came with. */
  readonly contentTypes = new Set<string>();

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = http.createServer();
    const receiver = new OtlpReceiver(server);
    server.on("request", (request, response) => void receiver.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The newest data point of each attribute set of a cumulative metric. */
  latest(metric: string): ReceivedPoint[] {
    const newest = new Map<string, ReceivedPoint>();
    for (const point of this.points.filter((p) => p.metric === metric)) {
      const key = JSON.stringify(Object.entries(point.attributes).sort());
      if ((newest.get(key)?.timeUnixNano ?? -1) <= point.timeUnixNano) newest.set(key, point);
    }
    return [...newest.values()];
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (request.headers["content-encoding"] === "gzip") body = gunzipSync(body);
    this.contentTypes.add(request.headers["content-type"] ?? "");
    if (request.method !== "POST" || !/^application\/json/.test(request.headers["content-type"] ?? "")) {
      response.writeHead(415).end();
      return;
    }
    const payload = JSON.parse(body.toString("utf8")) as Export;
    if (request.url === "/v1/traces") this.takeSpans(payload);
    else if (request.url === "/v1/metrics") this.takeMetrics(payload);
    else return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  }

  private takeSpans(payload: Export): void {
    for (const resourceSpans of payload.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? [])
        for (const span of scopeSpans.spans ?? [])
          this.spans.push({
            name: span.name,
            scope: scopeSpans.scope?.name ?? "",
            attributes: attributesOf(span.attributes),
            resource,
            statusCode: span.status?.code ?? 0,
          });
    }
  }

  private takeMetrics(payload: Export): void {
    for (const resourceMetrics of payload.resourceMetrics ?? [])
      for (const scopeMetrics of resourceMetrics.scopeMetrics ?? [])
        for (const metric of scopeMetrics.metrics ?? []) this.points.push(...pointsOf(metric));
  }
}
