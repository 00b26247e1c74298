import http from "node:http";
import type { AddressInfo } from "node:net";
import type { DurableRoute } from "./router";
import { routeDurable } from "./router";

export const rpcBasePath = "/durabletask/";

export interface RpcListener {
  baseUrl: string;
  close(): Promise<void>;
}

function segmentsAfter(pathname: string, base: string): string[] | undefined {
  if (!pathname.startsWith(base) && pathname !== base.slice(0, -1)) return undefined;
  return pathname
    .slice(base.length)
    .split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p));
}

/** The client API `durable-functions` calls through rpcBaseUrl: loopback only, a port of its own. */
export async function startRpcListener(route: () => DurableRoute): Promise<RpcListener> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let segments: string[] | undefined;
    try {
      segments = segmentsAfter(url.pathname, rpcBasePath);
    } catch {
      segments = undefined;
    }
    if (!segments) {
      res.writeHead(404).end();
      return;
    }
    void routeDurable(route(), req, res, segments, url.searchParams);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${rpcBasePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
