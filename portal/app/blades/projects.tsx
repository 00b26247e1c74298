import { useState } from "preact/hooks";
import { routes, type Project } from "../../../client";
import { ApiErrorAlert, fieldError } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { TextField } from "../components/fields";
import { useFerry } from "../ferry";
import { time } from "../format";
import { useLive } from "../live";
import { href } from "../router";

function CreateProject(props: { onCreated(project: Project): void }) {
  const { client } = useFerry();
  const [form, setForm] = useState({ name: "", geography: "Europe", targetRegion: "westeurope" });
  const [error, setError] = useState<unknown>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      props.onCreated(await client.call(routes.createProject, { body: form }));
    } catch (failure) {
      setError(failure);
    }
  };
  const field = (name: keyof typeof form, label: string) => (
    <TextField
      label={label}
      value={form[name]}
      onInput={(value) => setForm((old) => ({ ...old, [name]: value }))}
      error={fieldError(error, name)}
    />
  );
  return (
    <form class="panel" onSubmit={submit} aria-label="Create a project">
      <h2>Create a project</h2>
      {field("name", "Name")}
      {field("geography", "Geography")}
      {field("targetRegion", "Target region")}
      <ApiErrorAlert error={error} />
      <div class="buttons">
        <button type="submit" class="primary">
          Create project
        </button>
      </div>
    </form>
  );
}

/** Every project, each a link named by its name, and a form for a new one. */
export function Projects() {
  const { client, role } = useFerry();
  const projects = useLive((signal) => client.listAll(routes.listProjects, { signal }), []);
  return (
    <>
      <h1>Projects</h1>
      <ApiErrorAlert error={projects.error} />
      <DataTable<Project>
        label="Projects"
        rows={projects.data ?? []}
        rowKey={(p) => p.id}
        empty={projects.data ? "No projects yet: create one below." : "Loading…"}
        columns={[
          { title: "Name", cell: (p) => <a href={href.project(p.id)}>{p.name}</a> },
          { title: "Geography", cell: (p) => p.geography },
          { title: "Target region", cell: (p) => p.targetRegion },
          { title: "Created", cell: (p) => time(p.createdAt) },
        ]}
      />
      {role === "Administrator" ? (
        <CreateProject onCreated={(project) => (location.hash = href.project(project.id, "setup"))} />
      ) : null}
    </>
  );
}
