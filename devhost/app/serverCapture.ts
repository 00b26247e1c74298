import http from "node:http";

type CreateServer = typeof http.createServer;
const httpModule = http as unknown as { createServer: CreateServer };

/**
 * Runs `work` and returns the HTTP servers created meanwhile. `@azure/functions` starts its
 * HTTP-streaming proxy this way while reporting capabilities; holding that server lets the
 * host hand requests to it in process instead of over a loopback connection.
 */
export async function captureServers<T>(work: () => Promise<T>): Promise<{ value: T; servers: http.Server[] }> {
  const servers: http.Server[] = [];
  const original = httpModule.createServer;
  httpModule.createServer = ((...args: Parameters<CreateServer>) => {
    const server = original(...args);
    servers.push(server);
    return server;
  }) as CreateServer;
  try {
    return { value: await work(), servers };
  } finally {
    httpModule.createServer = original;
  }
}
