import { useState } from "preact/hooks";
import { routes, type Job } from "../../../client";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { TextField } from "../components/fields";
import { useFerry } from "../ferry";
import { useSubmit } from "../useSubmit";
import { time, words } from "../format";
import { href } from "../router";

type Task = Job["tasks"][number];

function details(projectId: string, task: Task) {
  const text = [task.note, ...task.errors.map((e) => `${e.code}: ${e.message}`)].filter(Boolean).join(" ");
  return (
    <>
      {text}
      {task.comment !== undefined ? <span class="comment"> Comment: {task.comment}</span> : null}
      {task.jobId ? (
        <>
          {" "}
          <a href={href.job(projectId, task.jobId)}>The server's job</a>
        </>
      ) : null}
    </>
  );
}

/** A task waiting for a person: its instructions, and for a role that may act, Resume with a comment. */
function WaitingTask(props: { projectId: string; jobId: string; task: Task; onResumed(): void }) {
  const { client, role } = useFerry();
  const [comment, setComment] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    await client.project(props.projectId).call(routes.resumeJob, { params: { jobId: props.jobId }, body: { comment } });
    props.onResumed();
  });
  return (
    <section class="panel waiting" aria-labelledby="waiting-task">
      <h2 id="waiting-task">Waiting for an action: {props.task.name}</h2>
      <p class="instructions">{props.task.instructions}</p>
      {mayAct(role) ? (
        <form onSubmit={submit}>
          <TextField label="Comment" value={comment} onInput={setComment} hint="Kept on the task: what was checked." />
          <ApiErrorAlert error={error} what="Resume was refused" />
          <div class="buttons">
            <button type="submit" class="primary" disabled={busy}>
              Resume
            </button>
          </div>
        </form>
      ) : (
        <p>Someone who may act on the project resumes the job.</p>
      )}
    </section>
  );
}

/** A job's tasks with their own state and times; a recovery plan's are its groups, items and actions. */
export function JobTasks(props: { projectId: string; job: Job; onChange(): void }) {
  const { job } = props;
  const planned = job.tasks.some((t) => t.kind !== undefined);
  const waiting = job.tasks.find((t) => t.state === "WaitingForAction");
  return (
    <>
      {waiting ? (
        <WaitingTask
          key={waiting.name}
          projectId={props.projectId}
          jobId={job.id}
          task={waiting}
          onResumed={props.onChange}
        />
      ) : null}
      <DataTable<Task>
        label="Tasks"
        rows={job.tasks}
        rowKey={(t) => t.name}
        empty="No tasks."
        pageSize={50}
        columns={[
          { title: "Task", cell: (t) => t.name },
          ...(planned ? [{ title: "Kind", cell: (t: Task) => t.kind ?? "—" }] : []),
          { title: "State", cell: (t) => words(t.state) },
          { title: "Started", cell: (t) => time(t.startTime) },
          { title: "Ended", cell: (t) => time(t.endTime) },
          { title: "Details", cell: (t) => details(props.projectId, t) },
        ]}
      />
    </>
  );
}
