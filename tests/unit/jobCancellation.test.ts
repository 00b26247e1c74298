import { describe, expect, it } from "vitest";
import { cancelStopsTask, lastTaskToRun, requestCancel } from "../../shared/domain/jobCancellation";
import {
  completeTask,
  createJob,
  failTask,
  markTaskFailed,
  startTask,
  succeedJob,
  type Job,
} from "../../shared/domain/jobs";
import { taskNames } from "../../shared/domain/jobTasks";
import { unwrap } from "../../shared/domain/result";

const t0 = new Date("2025-01-01T00:00:00Z");
const t1 = new Date("2025-01-01T00:01:00Z");
const [prerequisites, createVm, prepare, startVm] = taskNames.testMigrate;

function testMigrateJob(): Job {
  return createJob({ id: "job_1", operation: "TestMigrate", itemId: "itm_1", now: t0 });
}

function through(job: Job, ...tasks: string[]): Job {
  return tasks.reduce((current, task) => unwrap(completeTask(current, task, t1)), job);
}

function refusal(job: Job): string {
  const result = requestCancel(job, t1);
  if (result.ok) throw new Error("the cancel was accepted");
  expect(result.error).toMatchObject({ code: "OperationNotAllowed", httpStatus: 409, target: "Cancel" });
  return result.error.message;
}

describe("cancelling a job", () => {
  it("records a cancel asked for before the last task starts, and no task starts after it", () => {
    const running = unwrap(startTask(through(testMigrateJob(), prerequisites), createVm, t1));
    const asked = unwrap(requestCancel(running, t1));
    expect(asked.cancelRequestedTime).toBe(t1.toISOString());
    expect(cancelStopsTask(asked, prepare)).toBe(true);
    expect(cancelStopsTask(asked, createVm)).toBe(false); // already running: it finishes
    expect(cancelStopsTask(running, prepare)).toBe(false);
  });

  it("accepts a cancel before the job has started", () => {
    expect(unwrap(requestCancel(testMigrateJob(), t1)).cancelRequestedTime).toBe(t1.toISOString());
  });

  it("answers a repeated cancel as the first one, changing nothing", () => {
    const asked = unwrap(requestCancel(testMigrateJob(), t0));
    expect(unwrap(requestCancel(asked, t1))).toBe(asked);
  });

  it("refuses once the last task has started: the job will finish as it is", () => {
    const last = unwrap(startTask(through(testMigrateJob(), prerequisites, createVm, prepare), startVm, t1));
    expect(refusal(last)).toMatch(/last task 'Start the virtual machine' has started/);
    expect(refusal(through(last, startVm))).toMatch(/last task/);
  });

  it("refuses a finished job", () => {
    const done = unwrap(succeedJob(through(testMigrateJob(), ...taskNames.testMigrate), t1));
    expect(refusal(done)).toMatch(/already finished \(Succeeded\)/);
  });

  it("refuses once a task has failed: the job is ending as Failed", () => {
    const failing = unwrap(
      markTaskFailed(unwrap(startTask(testMigrateJob(), prerequisites, t1)), prerequisites, t1, {
        code: "NotFound",
        message: "gone",
      }),
    );
    expect(failing.state).toBe("InProgress");
    expect(refusal(failing)).toMatch(/failed, so the job is ending as Failed/);
  });

  it("counts the last task that runs, not one planned as skipped", () => {
    const noShutdown = createJob({
      id: "job_2",
      operation: "Migrate",
      itemId: "itm_1",
      now: t0,
      options: { shutdownSource: false },
    });
    expect(lastTaskToRun(noShutdown)?.name).toBe(taskNames.migrate.at(-1));
  });
});

describe("failing a task whose failure was marked first", () => {
  it("fails the job once, keeping the error once", () => {
    const error = { code: "TaskFailed", message: "boom" };
    const marked = unwrap(
      markTaskFailed(unwrap(startTask(testMigrateJob(), prerequisites, t1)), prerequisites, t1, error),
    );
    const failed = unwrap(failTask(marked, prerequisites, t1, error));
    expect(failed).toMatchObject({ state: "Failed", errors: [error] });
    expect(failed.tasks[0]).toMatchObject({ state: "Failed", errors: [error] });
    expect(unwrap(failTask(failed, prerequisites, t1, error))).toBe(failed);
  });
});
