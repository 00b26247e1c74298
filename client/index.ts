// The typed client of Ferry's operator API: browser-safe (fetch only, no Node modules), so the
// portal bundles it as the CLI and the tests use it. Node-only helpers live in client/node/.
export { routes } from "../shared/api/routes";
export {
  FerryApiError,
  FerryUnreachableError,
  isFerryApiError,
  type ApiErrorDetail,
  type BlockingItem,
} from "./errors";
export { FerryClient, type Credential, type FerryClientOptions, type RawRequest } from "./ferryClient";
export { type Job, type WaitOptions } from "./jobWait";
export { ProjectClient } from "./projectClient";
export type { CallArgs, ClientRoute, ItemOf, ListPage, ListRoute, PathParams, ResponseOf } from "./routeTypes";
export { serverRoot } from "./serverUrl";
export type * from "./resources";
