import { describe, expect, it } from "vitest";
import { toJobResponse } from "../../shared/api/jobs";
import { newId } from "../../shared/domain/ids";
import {
  cancelJob,
  completeTask,
  createJob,
  failTask,
  jobProgress,
  setTaskProgress,
  skipTask,
  startTask,
  succeedJob,
  type Job,
} from "../../shared/domain/jobs";
import { jobOperations, taskNames, taskNamesFor, isPlanOperation } from "../../shared/domain/jobTasks";
import { unwrap } from "../../shared/domain/result";

const t0 = new Date("2025-01-01T00:00:00Z");
const t1 = new Date("2025-01-01T00:01:00Z");

function migrateJob(shutdownSource = true): Job {
  return createJob({ id: "job_1", operation: "Migrate", itemId: "itm_1", now: t0, options: { shutdownSource } });
}

function runAll(job: Job): Job {
  return job.tasks.reduce((current, task) => unwrap(completeTask(current, task.name, t1)), job);
}

describe("jobs", () => {
  it("lists Site Recovery's task names for enable replication and test failover", () => {
    expect(taskNamesFor("EnableMigration")).toEqual([
      "Prerequisites check for enabling protection",
      "Identifying the replication target",
      "Enable replication",
      "Starting initial replication",
      "Updating the provider states",
    ]);
    expect(taskNamesFor("TestMigrate")).toEqual(taskNames.testMigrate);
    // A recovery plan's job takes its tasks from the plan (planJobs.test.ts).
    for (const operation of jobOperations.filter((o) => !isPlanOperation(o)))
      expect(taskNamesFor(operation).length).toBeGreaterThan(0);
  });

  it("creates a job not started, with every task not started", () => {
    const job = migrateJob();
    expect(job).toMatchObject({
      state: "NotStarted",
      displayName: "Migrate",
      createTime: t0.toISOString(),
      warnings: [],
    });
    expect(job.tasks.every((task) => task.state === "NotStarted")).toBe(true);
    expect(jobProgress(job)).toBe(0);
  });

  it("skips the shutdown and final sync of a migration asked not to shut down, and says so", () => {
    const job = migrateJob(false);
    expect(job.tasks.filter((task) => task.state === "Skipped").map((task) => task.name)).toEqual([
      "Shut down the virtual machine",
      "Synchronizing the latest changes",
    ]);
    expect(job.warnings[0]).toMatch(/may lose recent changes/);
  });

  it("starts the job with its first task and derives progress from tasks", () => {
    const started = unwrap(startTask(migrateJob(), "Prerequisite check", t1));
    expect(started.state).toBe("InProgress");
    expect(started.startTime).toBe(t1.toISOString());
    const halfway = unwrap(
      setTaskProgress(unwrap(completeTask(started, "Prerequisite check", t1)), "Prerequisite check", 10, t1),
    );
    expect(jobProgress(halfway)).toBe(16);
    const copying = unwrap(
      setTaskProgress(
        unwrap(startTask(halfway, "Shut down the virtual machine", t1)),
        "Shut down the virtual machine",
        50,
        t1,
      ),
    );
    expect(jobProgress(copying)).toBe(25);
  });

  it("succeeds only when every task succeeded or was skipped, then reports 100", () => {
    const job = migrateJob();
    expect(succeedJob(unwrap(startTask(job, "Prerequisite check", t1)), t1).ok).toBe(false);
    const done = unwrap(succeedJob(runAll(job), t1));
    expect(done.state).toBe("Succeeded");
    expect(jobProgress(done)).toBe(100);
  });

  it("fails the job when a task fails and keeps the error on both", () => {
    const error = { code: "ShutdownFailed", message: "The shutdown command exited with 1." };
    const failed = unwrap(
      failTask(unwrap(startTask(migrateJob(), "Prerequisite check", t1)), "Shut down the virtual machine", t1, error),
    );
    expect(failed.state).toBe("Failed");
    expect(failed.errors).toEqual([error]);
    expect(failed.tasks[1]).toMatchObject({ state: "Failed", errors: [error] });
    expect(failed.tasks[2]!.state).toBe("NotStarted");
  });

  it("cancels the running task and leaves the rest unstarted", () => {
    const cancelled = unwrap(cancelJob(unwrap(startTask(migrateJob(), "Prerequisite check", t1)), t1));
    expect(cancelled.state).toBe("Cancelled");
    expect(cancelled.tasks[0]!.state).toBe("Cancelled");
    expect(cancelled.tasks[1]!.state).toBe("NotStarted");
  });

  it("accepts a repeated step (activities run at least once) without changing the job", () => {
    const once = unwrap(completeTask(migrateJob(), "Prerequisite check", t1));
    expect(unwrap(completeTask(once, "Prerequisite check", new Date("2025-01-01T09:00:00Z")))).toBe(once);
    const skipped = unwrap(skipTask(once, "Shut down the virtual machine", t1, "no shutdown"));
    expect(unwrap(skipTask(skipped, "Shut down the virtual machine", t1, "again"))).toBe(skipped);
  });

  it("refuses to change a finished job", () => {
    const cancelled = unwrap(cancelJob(migrateJob(), t1));
    expect(startTask(cancelled, "Prerequisite check", t1).ok).toBe(false);
    expect(succeedJob(cancelled, t1).ok).toBe(false);
  });

  it("refuses a task the job does not have", () => {
    const result = startTask(migrateJob(), "Make coffee", t1);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("has no task 'Make coffee'");
  });
});

describe("job wire shape", () => {
  it("adds the derived progress and matches the published schema", () => {
    const id = newId("job", t0, (size) => new Uint8Array(size));
    const job = unwrap(completeTask(createJob({ id, operation: "Migrate", now: t0 }), "Prerequisite check", t1));
    expect(toJobResponse(job)).toMatchObject({ id, state: "InProgress", progress: 16, displayName: "Migrate" });
  });
});
