import type { Job } from "../client/jobWait";
import type { ProjectClient } from "../client/projectClient";
import { exitCodes } from "./cliErrors";
import { barDisplay, lineDisplay, type JobDisplay } from "./jobDisplay";
import { note, printObject } from "./output";
import type { Session } from "./session";
import { jobFields, jobSections } from "./views/jobViews";

export interface FollowOptions {
  /** --no-wait: print the job as it started and return. */
  wait: boolean;
  /** The exit code for a job that ended in each state; Failed and Cancelled are 3 unless said otherwise. */
  exitFor?: Partial<Record<Job["state"], number>>;
}

async function displayFor(session: Session): Promise<JobDisplay> {
  if (!session.json && process.stderr.isTTY) return barDisplay();
  return lineDisplay((line) => note(line));
}

export async function printJob(session: Session, job: Job): Promise<void> {
  await printObject(session, job, jobFields, jobSections);
}

/**
 * Waits for a job (unless --no-wait), showing its tasks as they change, then prints it as it
 * ended. Ctrl-C stops watching only: the job goes on, and the way back to it is printed.
 */
export async function followJob(session: Session, project: ProjectClient, job: Job, options: FollowOptions) {
  const watchHint = `ferry job watch ${job.id}${session.projectFlag(project.projectId)}`;
  if (!options.wait) {
    await printJob(session, job);
    note(`Started; watch it with: ${watchHint}`);
    return;
  }
  const display = await displayFor(session);
  const detach = new AbortController();
  const onInterrupt = () => detach.abort(new Error("detached"));
  process.once("SIGINT", onInterrupt);
  let latest = job;
  const announce = waitingAnnouncer(session, project, job.id);
  display.update(job);
  try {
    latest = await project.waitForJob(
      job,
      (changed) => {
        latest = changed;
        display.update(changed);
        announce(changed);
      },
      { signal: detach.signal },
    );
  } catch (error) {
    if (!detach.signal.aborted) throw error;
    display.stop();
    await printJob(session, latest);
    note(`Stopped watching; job ${job.id} goes on. Watch it again with: ${watchHint}`);
    process.exitCode = exitCodes.detached;
    return;
  } finally {
    process.off("SIGINT", onInterrupt);
    display.stop();
  }
  await printJob(session, latest);
  const failed = { Failed: exitCodes.jobFailed, Cancelled: exitCodes.jobFailed, ...options.exitFor };
  process.exitCode = failed[latest.state] ?? exitCodes.done;
}

/** Says once per task what a manual action asks of the operator, and how to go on. */
function waitingAnnouncer(session: Session, project: ProjectClient, jobId: string): (job: Job) => void {
  const told = new Set<string>();
  return (job) => {
    const task = job.tasks.find((t) => t.state === "WaitingForAction");
    if (!task || told.has(task.name)) return;
    told.add(task.name);
    note(`Waiting: ${task.name}\n  ${task.instructions ?? "A manual action."}`);
    note(`When done: ferry job resume ${jobId} --comment "..."${session.projectFlag(project.projectId)}`);
  };
}
