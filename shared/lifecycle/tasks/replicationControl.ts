import { taskNames } from "../../domain/jobTasks";
import type { TaskWork } from "../taskTypes";

const note =
  (text: string): TaskWork =>
  async () =>
    text;
const nothing: TaskWork = async () => undefined;

const [pauseTask] = taskNames.pause;
const [resumeTask] = taskNames.resume;
const [resyncCheck, resyncStart, resyncProvider] = taskNames.resync;

/** Pause, resume and resync change what the agent is told at its next heartbeat; the tasks only say so. */
export const pauseTasks: Record<string, TaskWork> = {
  [pauseTask]: note("The agent stops sending changes at its next heartbeat."),
};

export const resumeTasks: Record<string, TaskWork> = {
  [resumeTask]: note("The agent resumes sending changes at its next heartbeat."),
};

export const resyncTasks: Record<string, TaskWork> = {
  [resyncCheck]: nothing,
  [resyncStart]: note("The agent re-reads the source and sends every block that differs."),
  [resyncProvider]: nothing,
};
