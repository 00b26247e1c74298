// `ferry plan` and `ferry job resume` against a real host: a plan made from servers named on the
// command line, a drill that stops at its manual step and says how to go on, and its resume.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as z from "zod";
import { createRecoveryPlanResponse, recoveryPlanSchema } from "../../shared/api/recoveryPlans";
import { removeTempDirs, tempDir } from "../support/agentCli";
import { startFerry, type RunningFerry } from "../support/ferryApi";
import { FerryCli } from "../support/ferryCli";
import type { SourceMachine } from "../support/lifecycleKit";
import { seededProject } from "../support/planKit";
import { eventually } from "../support/eventually";

let ferry: RunningFerry;
let cli: FerryCli;
let sources: SourceMachine[];

beforeAll(async () => {
  ferry = await startFerry(inject("storageConnectionString"));
  const seeded = await seededProject(ferry.api, 2);
  sources = seeded.sources;
  const { FERRY_OPERATOR_KEY: _key, FERRY_SERVER: _server, FERRY_PROJECT: _project, ...env } = process.env;
  cli = new FerryCli({
    ...env,
    FERRY_CONFIG_DIR: path.join(tempDir("ferry-cli-"), "config"),
    FERRY_PROJECT: seeded.project.projectId,
  });
  const login = await cli.run(["login", "--server", `${ferry.api.origin}/api/`, "--key", ferry.api.operatorKey]);
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  await ferry?.stop();
  removeTempDirs();
});

describe("ferry plan", () => {
  it("creates a plan from groups of server names, drills it, stops at the manual step and resumes it", async () => {
    const [db, web] = await Promise.all(sources.map((s) => s.item()));
    const created = await cli.json(createRecoveryPlanResponse, [
      "plan",
      "create",
      "--name",
      "shop",
      "--group",
      `db:${db!.target.vmName ?? ""}`,
      "--group",
      `web:${web!.target.vmName ?? ""}`,
      "--manual-after",
      "db=Check the database answers",
    ]);
    expect(created.plan.groups.map((g) => g.items.map((i) => i.id))).toEqual(sources.map((s) => [s.r.itemId]));
    expect(created.webhookSecret.length).toBeGreaterThanOrEqual(32);
    const shown = await cli.json(recoveryPlanSchema, ["plan", "show", "shop"]);
    expect(shown.groups[0]!.postActions).toEqual([
      { name: "manual-1", kind: "Manual", instructions: "Check the database answers" },
    ]);
    expect((await cli.json(z.array(recoveryPlanSchema), ["plan", "list"])).map((p) => p.name)).toEqual(["shop"]);

    const drill = cli.start(["plan", "test-migrate", "shop", "--network", "vnet-drill"]);
    await eventually(
      async () => drill.stderr(),
      (text) => /ferry job resume job_\w+/.test(text),
      { timeoutMs: 60_000, what: "the drill to print how to resume" },
    );
    expect(drill.stderr()).toContain("Check the database answers");
    const jobId = /ferry job resume (job_\w+)/.exec(drill.stderr())![1]!;
    const resumed = await cli.run(["job", "resume", jobId, "--comment", "db answers", "--no-wait"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const ended = await drill.done;
    expect(ended.code, ended.stderr).toBe(0);
    // Piped, the job is printed as JSON.
    const job = JSON.parse(ended.stdout) as { state: string; tasks: { comment?: string }[] };
    expect(job.state).toBe("Succeeded");
    expect(job.tasks.map((t) => t.comment).filter(Boolean)).toEqual(["db answers"]);
    const again = await cli.run(["job", "resume", jobId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error OperationNotAllowed: /);

    const cleanup = await cli.run(["plan", "test-migrate-cleanup", "shop"]);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect((await cli.run(["plan", "delete", "shop"])).code).toBe(0);
    expect(await cli.json(z.array(recoveryPlanSchema), ["plan", "list"])).toEqual([]);
  });
});
