// The baseline for httpThroughput: node:http answering every request with an empty 200,
// the least any host could do per request.
import http from "node:http";
import type { AddressInfo } from "node:net";

const server = http.createServer({ keepAliveTimeout: 65_000 }, (_req, res) => {
  res.writeHead(200, { "content-length": 0 });
  res.end();
});
server.listen(0, "127.0.0.1", () => console.log(`listening on ${(server.address() as AddressInfo).port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
