// The local host's public surface: what an app's own start-up wrapper builds on. Nothing here knows the app.
export { startHost, type HostOptions, type RunningHost } from "./host";
export { applyLocalSettings } from "./app/loadApp";
export { startAzurite, type EmbeddedAzurite } from "./azurite/embedded";
export { parseArgs, portArg, single } from "./cli/args";
export { fail, stopOnSignals } from "./cli/lifecycle";
export { portIsFree, preferredOrAny } from "./cli/ports";
export { serveApp, type ServeOptions, type ServedApp } from "./cli/serve";
export { ensureStorage } from "./cli/storage";
