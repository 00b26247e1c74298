import { hostHealthSchema } from "../system";
import { defineRoutes } from "./route";

/** The host itself: open to anyone, no key. */
export const systemRoutes = defineRoutes({
  getHealth: {
    method: "get",
    path: "/health",
    summary: "Host health: storage reachable, versions",
    auth: "none",
    response: { status: 200, description: "Health.", schema: hostHealthSchema },
  },
  getOpenApi: {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    auth: "none",
    response: { status: 200, description: "The OpenAPI 3.1 document." },
  },
});
