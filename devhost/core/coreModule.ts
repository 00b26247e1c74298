// Loaded in place of `@azure/functions-core`, the module the real Node worker provides.
import { coreApi, worker } from "./worker";
import { hostVersion } from "../version";

module.exports = coreApi(worker, hostVersion);
