// The local host's public surface: what an app's own start-up wrapper builds on. Nothing here knows the app.
export { startHost, type HostOptions, type RunningHost } from "./host";
export { applyLocalSettings } from "./app/loadApp";
export { startAzurite, type EmbeddedAzurite } from "./azurite/embedded";
export { onlyOptions, parseArgs, portArg, single, UsageError, wantsHelp } from "./cli/args";
export { DataFolderInUseError, holdDataFolder, type DataFolderLock } from "./cli/dataLock";
export { fail, stopOnSignals } from "./cli/lifecycle";
export { log } from "./log";
export { portIsFree, preferredOrAny } from "./cli/ports";
export { serveApp, type ServeOptions, type ServedApp } from "./cli/serve";
export { ensureStorage } from "./cli/storage";
