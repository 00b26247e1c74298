import type { RegisteredFunction } from "../core/worker";
import { triggerOf } from "../core/invoke";
import { compareRank, compileRoute, matchRoute, type RouteTemplate } from "./routeTemplate";

export type AuthLevel = "anonymous" | "function" | "admin";

export interface HttpFunction {
  name: string;
  triggerName: string;
  route: RouteTemplate;
  methods: Set<string>;
  authLevel: AuthLevel;
}

export type RouteResult =
  | { kind: "match"; fn: HttpFunction; params: Record<string, string> }
  | { kind: "methodNotAllowed"; allow: string[] }
  | { kind: "notFound" };

/** The HTTP-triggered functions of an app, matched most specific route first. */
export class RouteTable {
  readonly functions: HttpFunction[];

  constructor(registered: RegisteredFunction[]) {
    this.functions = registered
      .filter((fn) => triggerOf(fn)[1].type?.toLowerCase() === "httptrigger")
      .map((fn) => toHttpFunction(fn))
      .sort((a, b) => compareRank(a.route, b.route));
  }

  match(method: string, pathSegments: string[]): RouteResult {
    const allow = new Set<string>();
    for (const fn of this.functions) {
      const params = matchRoute(fn.route, pathSegments);
      if (!params) continue;
      if (fn.methods.size === 0 || fn.methods.has(method)) return { kind: "match", fn, params };
      fn.methods.forEach((m) => allow.add(m));
    }
    return allow.size > 0 ? { kind: "methodNotAllowed", allow: [...allow].sort() } : { kind: "notFound" };
  }
}

function toHttpFunction(fn: RegisteredFunction): HttpFunction {
  const [triggerName, binding] = triggerOf(fn);
  const methods = Array.isArray(binding.methods) ? (binding.methods as string[]).map((m) => m.toUpperCase()) : [];
  const level = String(binding.authLevel ?? "function").toLowerCase();
  if (level !== "anonymous" && level !== "function" && level !== "admin") {
    throw new Error(`Function "${fn.metadata.name}": unknown authLevel "${level}".`);
  }
  const route = typeof binding.route === "string" && binding.route !== "" ? binding.route : fn.metadata.name;
  return {
    name: fn.metadata.name,
    triggerName,
    route: compileRoute(route),
    methods: new Set(methods),
    authLevel: level,
  };
}
