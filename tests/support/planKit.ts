// Recovery plans driven over real HTTP: a project with several replicated sources (the test is
// their agent), plans made and run, and the plan job's tasks waited for.
import { expect } from "vitest";
import { eventually } from "./eventually";
import { setUpProject, type ApiError, type FerryApi, type ProjectSetUp } from "./ferryApi";
import { MiB, SourceMachine, type LifecycleJob } from "./lifecycleKit";

export interface PlanTask {
  name: string;
  state: string;
  kind?: string;
  itemId?: string;
  jobId?: string;
  instructions?: string;
  comment?: string;
  note?: string;
  errors: { code: string; message: string }[];
}

export type PlanJob = Omit<LifecycleJob, "tasks"> & { tasks: PlanTask[]; startTime?: string; createTime: string };

export interface PlanBody {
  id: string;
  name: string;
  groups: { name: string; items: { id: string; name: string; migrationState?: string }[] }[];
  currentJobId?: string;
}

const finished = ["Succeeded", "Failed", "Cancelled"];

/** A project and `count` seeded sources in it, each with two small disks. */
export async function seededProject(
  api: FerryApi,
  count: number,
): Promise<{ project: ProjectSetUp; sources: SourceMachine[] }> {
  const project = await setUpProject(api);
  const sources: SourceMachine[] = [];
  for (let i = 0; i < count; i++) sources.push(await SourceMachine.seeded(api, [MiB + 4096, MiB - 8192], project));
  return { project, sources };
}

export class PlanDriver {
  constructor(
    readonly api: FerryApi,
    readonly projectId: string,
  ) {}

  get plansPath(): string {
    return `/projects/${this.projectId}/recovery-plans`;
  }

  async create(body: object): Promise<{ plan: PlanBody; webhookSecret: string }> {
    return this.api.expect(this.api.post(this.plansPath, body), 201);
  }

  /** Starts a plan operation, expecting 202 with the job. */
  async start(planId: string, segment: string, body?: object): Promise<PlanJob> {
    const reply = await this.api.post<{ job: PlanJob }>(`${this.plansPath}/${planId}/${segment}`, body);
    expect(reply.status, reply.text).toBe(202);
    return reply.body.job;
  }

  refused(planId: string, segment: string, body?: object) {
    return this.api.post<ApiError>(`${this.plansPath}/${planId}/${segment}`, body);
  }

  job(jobId: string): Promise<PlanJob> {
    return this.api.expect<PlanJob>(this.api.get(`/projects/${this.projectId}/jobs/${jobId}`), 200);
  }

  settled(jobId: string, timeoutMs = 60_000): Promise<PlanJob> {
    return eventually(
      () => this.job(jobId),
      (job) => finished.includes(job.state),
      { timeoutMs, what: `plan job ${jobId} to end` },
    );
  }

  /** Waits until one of the job's tasks waits for an operator; that task. */
  async waiting(jobId: string): Promise<PlanTask> {
    const job = await eventually(
      () => this.job(jobId),
      (j) => j.tasks.some((t) => t.state === "WaitingForAction") || finished.includes(j.state),
      { timeoutMs: 60_000, what: `a task of ${jobId} to wait for an action` },
    );
    const task = job.tasks.find((t) => t.state === "WaitingForAction");
    expect(task, JSON.stringify(job)).toBeDefined();
    return task!;
  }

  resume(jobId: string, comment: string) {
    return this.api.post<{ job: PlanJob } & ApiError>(`/projects/${this.projectId}/jobs/${jobId}/resume`, { comment });
  }

  cancel(jobId: string) {
    return this.api.post<{ job: PlanJob } & ApiError>(`/projects/${this.projectId}/jobs/${jobId}/cancel`);
  }
}
