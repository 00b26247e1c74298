import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { installFunctionsCore } from "../../devhost/core/install";
import type { RegisteredFunction, WorkerState } from "../../devhost/core/worker";
import { routeList, type Route } from "../../shared/api/routes";
import { repoRoot } from "../support/hostProcess";

const compiled = createRequire(path.join(repoRoot, "package.json"));

/** What the compiled app registers, as a Functions host receives it: its entry loaded against the devhost's core. */
function registrations(): RegisteredFunction[] {
  const core = compiled("./dist/devhost/core/install.js") as { installFunctionsCore: typeof installFunctionsCore };
  core.installFunctionsCore();
  compiled("./dist/functions/index.js");
  const { worker } = compiled("./dist/devhost/core/worker.js") as { worker: WorkerState };
  return [...worker.functions.values()];
}

interface HttpRegistration {
  name: string;
  methods: unknown;
  route: unknown;
  authLevel: unknown;
  inputs: string[];
}

function httpRegistrations(): HttpRegistration[] {
  return registrations().flatMap(({ metadata }) => {
    const bindings = Object.values(metadata.bindings);
    const trigger = bindings.find((binding) => binding.type === "httpTrigger");
    if (trigger === undefined) return [];
    const inputs = bindings.filter((b) => b.direction === "in" && b !== trigger).map((b) => String(b.type));
    return [
      { name: metadata.name, methods: trigger.methods, route: trigger.route, authLevel: trigger.authLevel, inputs },
    ];
  });
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** host.json's routePrefix is empty: the API carries api/ itself, the portal sits at the root. */
function hostRoute(route: Route): string {
  if (route.portal !== true) return `api${route.path}`;
  // An empty route would mean the function's name; only the empty path satisfies this one.
  return route.path === "/" ? "{root:maxlength(0)?}" : route.path.slice(1);
}

describe("the app's HTTP functions", () => {
  const registered = httpRegistrations();

  it("are the route table's routes, each registered once under its name, method and path", () => {
    const expected = routeList.map((route) => ({
      name: route.name,
      methods: [route.method.toUpperCase()],
      route: hostRoute(route),
      authLevel: "anonymous",
    }));
    expect(registered.map(({ inputs: _, ...rest }) => rest).sort(byName)).toEqual(expected.sort(byName));
  });

  it("give the handlers that start or signal a job their durable client, and no other", () => {
    const withClient = registered.filter((fn) => fn.inputs.includes("durableClient")).map((fn) => fn.name);
    expect(withClient.sort()).toEqual(
      [
        "agentCompleteCycle",
        "cancelJob",
        "completeMigration",
        "enableReplication",
        "migrate",
        "pauseReplication",
        "resumeReplication",
        "resync",
        "testMigrate",
        "testMigrateCleanup",
        "verifyRecoveryPoint",
        // Recovery plans start their job; a resume wakes it.
        "testMigratePlan",
        "testMigrateCleanupPlan",
        "migratePlan",
        "completePlan",
        "resumeJob",
      ].sort(),
    );
  });
});
