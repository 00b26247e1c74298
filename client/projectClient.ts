import { routes } from "../shared/api/routes";
import type { FerryClient } from "./ferryClient";
import { waitForJob, type Job, type WaitOptions } from "./jobWait";
import type { CallRest, ClientRoute, ItemOf, ListRoute, ResponseOf } from "./routeTypes";

type Bound = "projectId";

/** The client bound to one project: `projectId` is filled in on every call. */
export class ProjectClient {
  constructor(
    readonly client: FerryClient,
    readonly projectId: string,
  ) {}

  call<R extends ClientRoute>(route: R, ...[args]: CallRest<R, Bound>): Promise<ResponseOf<R>> {
    return this.client.call(route, ...this.bind<R>(args));
  }

  pages<R extends ListRoute>(route: R, ...[args]: CallRest<R, Bound>): AsyncGenerator<ItemOf<R>[]> {
    return this.client.pages(route, ...this.bind<R>(args));
  }

  list<R extends ListRoute>(route: R, ...[args]: CallRest<R, Bound>): AsyncGenerator<ItemOf<R>> {
    return this.client.list(route, ...this.bind<R>(args));
  }

  listAll<R extends ListRoute>(route: R, ...[args]: CallRest<R, Bound>): Promise<ItemOf<R>[]> {
    return this.client.listAll(route, ...this.bind<R>(args));
  }

  /** The job as it is now. */
  getJob(jobId: string, signal?: AbortSignal): Promise<Job> {
    return this.call(routes.getJob, { params: { jobId }, signal });
  }

  /**
   * Polls a job until it ends (Succeeded, Failed or Cancelled) and returns it as it ended; a failed
   * job is an answer, not an error. `onProgress` hears each change; the signal stops waiting only.
   */
  waitForJob(job: Job, onProgress?: (job: Job) => void, options?: WaitOptions): Promise<Job> {
    return waitForJob((signal) => this.getJob(job.id, signal), job, onProgress, options);
  }

  private bind<R extends ClientRoute>(args: { params?: object } | undefined): CallRest<R> {
    return [{ ...args, params: { projectId: this.projectId, ...args?.params } }] as unknown as CallRest<R>;
  }
}
