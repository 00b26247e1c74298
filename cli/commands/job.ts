import { Option, type Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/job.js");
const states = ["NotStarted", "InProgress", "Succeeded", "Failed", "Cancelled"];

export function jobCommands(program: Command): void {
  const job = examples(
    program.command("job").description("Jobs: what every operation runs, with its tasks"),
    "ferry job list --state InProgress",
  );
  examples(
    job
      .command("list")
      .description("List jobs, newest first")
      .option("--server <server>", "only this server's jobs (host name, VM name or id)")
      .addOption(new Option("--state <state>", "only jobs in this state").choices(states))
      .action(lazy(load, (m) => m.list)),
    "ferry job list --server web01 --state Failed",
  );
  examples(
    job
      .command("show")
      .description("Show a job and its tasks")
      .argument("<job>", "job id")
      .action(lazy(load, (m) => m.show)),
    "ferry job show job_01jb2x...",
  );
  examples(
    job
      .command("watch")
      .description("Follow a job until it ends, showing its tasks as they progress")
      .argument("<job>", "job id")
      .action(lazy(load, (m) => m.watch)),
    "ferry job watch job_01jb2x...",
  );
  examples(
    job
      .command("cancel")
      .description("Cancel a running test migration or migration: it undoes what it made and ends Cancelled")
      .argument("<job>", "job id")
      .option("--no-wait", "print the job and return at once")
      .action(lazy(load, (m) => m.cancel)),
    "ferry job cancel job_01jb2x...",
  );
  examples(
    job
      .command("resume")
      .description("Continue a job waiting on a manual action, with a comment kept on its task")
      .argument("<job>", "job id")
      .option("--comment <text>", "what was checked or done", "")
      .option("--no-wait", "print the job and return at once")
      .action(lazy(load, (m) => m.resume)),
    'ferry job resume job_01jb2x... --comment "database checked"',
  );
}
