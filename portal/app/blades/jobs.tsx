import { useState } from "preact/hooks";
import { routes, type Job } from "../../../client";
import { jobStates } from "../../../shared/domain/jobs";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { SelectField } from "../components/fields";
import { Progress } from "../components/progress";
import { useFerry } from "../ferry";
import { time, words } from "../format";
import { useLive } from "../live";
import { href } from "../router";
import { serverNames } from "../serverNames";
import { CancelJob } from "./cancelJob";

type JobState = (typeof jobStates)[number];

/** Every job, newest first: what it did, to which server, how far it got, and Cancel where it still can. */
export function Jobs(props: { projectId: string }) {
  const { client } = useFerry();
  const project = client.project(props.projectId);
  const [state, setState] = useState<JobState | "">("");
  const data = useLive(
    async (signal) => {
      const [jobs, names] = await Promise.all([
        project.listAll(routes.listJobs, { query: state === "" ? {} : { state }, signal }),
        serverNames(project, signal),
      ]);
      return { jobs, names };
    },
    [props.projectId, state],
  );
  return (
    <>
      <h1>Jobs</h1>
      <SelectField
        label="Show"
        value={state}
        onChange={(value) => setState(value as JobState | "")}
        options={[{ value: "", label: "All jobs" }, ...jobStates.map((s) => ({ value: s, label: words(s) }))]}
      />
      <ApiErrorAlert error={data.error} />
      <DataTable<Job>
        label="Jobs"
        rows={data.data?.jobs ?? []}
        rowKey={(j) => j.id}
        empty={data.data ? "No jobs." : "Loading…"}
        columns={[
          { title: "Name", cell: (j) => <a href={href.job(props.projectId, j.id)}>{j.displayName}</a> },
          { title: "Server", cell: (j) => (j.itemId ? (data.data?.names.get(j.itemId) ?? "A removed server") : "—") },
          { title: "State", cell: (j) => words(j.state) },
          { title: "Progress", cell: (j) => <Progress label={`Progress of ${j.displayName}`} value={j.progress} /> },
          { title: "Started", cell: (j) => time(j.startTime ?? j.createTime) },
          { title: "Ended", cell: (j) => time(j.endTime) },
          { title: "Actions", cell: (j) => <CancelJob projectId={props.projectId} job={j} onDone={data.reload} /> },
        ]}
      />
    </>
  );
}
