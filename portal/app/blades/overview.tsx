import { routes, type Job, type ReplicatingServer } from "../../../client";
import { ApiErrorAlert } from "../components/apiError";
import { HealthBadge } from "../components/health";
import { useFerry } from "../ferry";
import { words } from "../format";
import { useLive } from "../live";
import { href } from "../router";

function countBy<T>(rows: T[], key: (row: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function Counts(props: { label: string; rows: [string, number][]; cell?(key: string): preact.ComponentChildren }) {
  return (
    <table aria-label={props.label} class="counts">
      <tbody>
        {props.rows.map(([key, count]) => (
          <tr key={key}>
            <td>{props.cell ? props.cell(key) : key}</td>
            <td>{count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JobLinks(props: { projectId: string; label: string; jobs: Job[] }) {
  return (
    <section class="tile" aria-label={props.label}>
      <h2>
        {props.label}: {props.jobs.length}
      </h2>
      <ul>
        {props.jobs.slice(0, 5).map((job) => (
          <li key={job.id}>
            <a href={href.job(props.projectId, job.id)}>{job.displayName}</a> ({words(job.state)})
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A project at a glance: what is discovered, what replicates and how well, what runs and what failed. */
export function Overview(props: { projectId: string }) {
  const { client } = useFerry();
  const project = client.project(props.projectId);
  const data = useLive(
    async (signal) => {
      const [info, machines, items, jobs] = await Promise.all([
        client.call(routes.getProject, { params: { projectId: props.projectId }, signal }),
        project.listAll(routes.listMachines, { signal }),
        project.listAll(routes.listReplicatingServers, { signal }),
        project.listAll(routes.listJobs, { signal }),
      ]);
      return { info, machines, items, jobs };
    },
    [props.projectId],
  );
  const d = data.data;
  const items: ReplicatingServer[] = d?.items ?? [];
  return (
    <>
      <h1>Overview</h1>
      <ApiErrorAlert error={data.error} />
      {d ? (
        <div class="tiles">
          <section class="tile" aria-label="Project">
            <h2>{d.info.name}</h2>
            <p>
              Target region <strong>{d.info.targetRegion}</strong> ({d.info.geography})
            </p>
          </section>
          <section class="tile" aria-label="Discovered servers">
            <h2>
              <a href={href.project(props.projectId, "discovered-servers")}>Discovered servers</a>: {d.machines.length}
            </h2>
          </section>
          <section class="tile" aria-label="Replicating servers">
            <h2>
              <a href={href.project(props.projectId, "replicating-servers")}>Replicating servers</a>: {items.length}
            </h2>
            <Counts label="By state" rows={countBy(items, (i) => words(i.migrationState))} />
            <Counts
              label="By health"
              rows={countBy(items, (i) => i.health)}
              cell={(health) => <HealthBadge health={health as ReplicatingServer["health"]} />}
            />
          </section>
          <JobLinks
            projectId={props.projectId}
            label="Running jobs"
            jobs={d.jobs.filter((j) => j.state === "InProgress")}
          />
          <JobLinks projectId={props.projectId} label="Failed jobs" jobs={d.jobs.filter((j) => j.state === "Failed")} />
        </div>
      ) : (
        <p>Loading…</p>
      )}
    </>
  );
}
