import type { IncomingMessage, ServerResponse } from "node:http";
import { authorized, presentedKey, type HostKeys } from "../../http/keys";
import { sendHostError, type SystemRoute } from "../../http/server";
import { webhookPath } from "./clientBinding";
import { routeDurable, type DurableRoute } from "./router";

/** `/runtime/webhooks/durabletask/...` on the public listener; the system (master) key is required. */
export function webhookRoute(keys: HostKeys, route: () => DurableRoute): SystemRoute {
  return {
    prefix: `${webhookPath}/`,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      if (!authorized("admin", presentedKey(req, url.searchParams), keys)) {
        return sendHostError(
          res,
          401,
          "Unauthorized",
          "The durable task webhooks require the system key (code query parameter).",
        );
      }
      let segments: string[];
      try {
        segments = url.pathname
          .slice(webhookPath.length)
          .split("/")
          .filter((p) => p !== "")
          .map((p) => decodeURIComponent(p));
      } catch {
        return sendHostError(res, 400, "BadRequest", "The request path is not valid percent-encoding.");
      }
      await routeDurable(route(), req, res, segments, url.searchParams);
    },
  };
}
