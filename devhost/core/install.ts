import Module from "node:module";
import path from "node:path";

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve };

let installed = false;

/**
 * Makes `require("@azure/functions-core")` resolve to this host's implementation, as the
 * real worker does for the app and every library it loads.
 */
export function installFunctionsCore(): void {
  if (installed) return;
  installed = true;
  const corePath = path.join(__dirname, "coreModule.js");
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolve(request: string, ...rest: unknown[]): string {
    if (request === "@azure/functions-core") return corePath;
    return original.call(this, request, ...rest);
  };
}
