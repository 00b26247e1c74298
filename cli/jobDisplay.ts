import type { Job } from "../client/jobWait";
import { isJobFinished } from "../shared/domain/jobs";

/** Shows a job's tasks as they progress, on stderr. */
export interface JobDisplay {
  update(job: Job): void;
  stop(): void;
}

const marks: Record<string, string> = {
  InProgress: "…",
  Succeeded: "✓",
  Failed: "✗",
  Cancelled: "✗",
  Skipped: "-",
  NotStarted: " ",
};

function taskLine(task: Job["tasks"][number]): string {
  const detail = [task.note, ...task.errors.map((e) => `${e.code}: ${e.message}`)].filter(Boolean).join("; ");
  return `  ${marks[task.state] ?? "?"} ${task.name}: ${task.state}${detail ? ` (${detail})` : ""}`;
}

/** The lines that are new since the job was last seen: its state, then each task that changed. */
function changes(previous: Job | undefined, job: Job): string[] {
  const tasks = job.tasks.flatMap((task) => {
    const before = previous?.tasks.find((t) => t.name === task.name);
    const unchanged = before ? before.state === task.state && before.note === task.note : task.state === "NotStarted";
    return unchanged ? [] : [taskLine(task)];
  });
  if (previous?.state === job.state) return tasks;
  const state = `${job.displayName} (${job.id}): ${job.state}`;
  // A job's end reads after its last tasks; its start before its first.
  return isJobFinished(job) ? [...tasks, state] : [state, ...tasks];
}

/** Plain lines, one per change: for pipes, logs and CI. */
export function lineDisplay(write: (line: string) => void): JobDisplay {
  let last: Job | undefined;
  return {
    update(job) {
      changes(last, job).forEach(write);
      last = job;
    },
    stop() {},
  };
}

/** A bar with the running task on a terminal, and a line above it for each task as it changes. */
export async function barDisplay(): Promise<JobDisplay> {
  const { MultiBar, Presets } = await import("cli-progress");
  const bars = new MultiBar(
    {
      format: " {bar} {percentage}% | {task}",
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  const bar = bars.create(100, 0, { task: "" });
  let last: Job | undefined;
  return {
    update(job) {
      for (const line of changes(last, job)) bars.log(`${line}\n`);
      const running = job.tasks.find((t) => t.state === "InProgress");
      bar.update(job.progress, { task: running?.name ?? job.state });
      last = job;
    },
    stop() {
      bars.stop();
    },
  };
}
