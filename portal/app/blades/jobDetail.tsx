import { routes, type Job } from "../../../client";
import { ApiErrorAlert } from "../components/apiError";
import { Progress } from "../components/progress";
import { useFerry } from "../ferry";
import { time, words } from "../format";
import { useLive } from "../live";
import { href } from "../router";
import { serverNames } from "../serverNames";
import { CancelJob } from "./cancelJob";
import { JobTasks } from "./jobTasks";

function Errors(props: { errors: Job["errors"] }) {
  if (props.errors.length === 0) return null;
  return (
    <ul class="job-errors">
      {props.errors.map((error) => (
        <li key={error.code + error.message}>
          <strong>{error.code}</strong>: {error.message}
          {error.recommendedAction ? <span class="action"> Recommended action: {error.recommendedAction}</span> : null}
        </li>
      ))}
    </ul>
  );
}

type ShownJob = Job & { serverName?: string };

function JobSummary(props: { projectId: string; job: ShownJob }) {
  const j = props.job;
  return (
    <dl class="summary">
      <div>
        <dt>State</dt>
        <dd>{words(j.state)}</dd>
      </div>
      <div>
        <dt>Progress</dt>
        <dd>
          <Progress label="Job progress" value={j.progress} />
        </dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{time(j.startTime ?? j.createTime)}</dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd>{time(j.endTime)}</dd>
      </div>
      {j.itemId ? (
        <div>
          <dt>Server</dt>
          <dd>
            {j.serverName === undefined ? (
              "A removed server"
            ) : (
              <a href={href.server(props.projectId, j.itemId)}>{j.serverName}</a>
            )}
          </dd>
        </div>
      ) : null}
      {j.parameters?.planId ? (
        <div>
          <dt>Recovery plan</dt>
          <dd>
            <a href={href.plan(props.projectId, j.parameters.planId)}>The plan</a>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** One job: its state, progress, every task with its own state and times, its errors and warnings. */
export function JobDetail(props: { projectId: string; jobId: string }) {
  const { client } = useFerry();
  const project = client.project(props.projectId);
  const job = useLive(
    async (signal) => {
      const [found, names] = await Promise.all([
        project.call(routes.getJob, { params: { jobId: props.jobId }, signal }),
        serverNames(project, signal),
      ]);
      return { ...found, serverName: found.itemId ? names.get(found.itemId) : undefined };
    },
    [props.jobId],
  );
  const j = job.data;
  return (
    <>
      <h1>{j ? `Job: ${j.displayName}` : "Job"}</h1>
      <ApiErrorAlert error={job.error} />
      {j ? (
        <>
          <JobSummary projectId={props.projectId} job={j} />
          <CancelJob projectId={props.projectId} job={j} onDone={job.reload} />
          <Errors errors={j.errors} />
          {j.warnings.map((warning) => (
            <p class="warning" key={warning}>
              {warning}
            </p>
          ))}
          <JobTasks projectId={props.projectId} job={j} onChange={job.reload} />
        </>
      ) : null}
    </>
  );
}
