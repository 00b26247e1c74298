import type { ComponentChildren } from "preact";
import { routes } from "../../client";
import { useFerry } from "./ferry";
import { useLive } from "./live";
import { href, type Blade } from "./router";

const sections: { label: string; section: string; blades: Blade["name"][] }[] = [
  { label: "Overview", section: "", blades: ["overview"] },
  { label: "Discovered servers", section: "discovered-servers", blades: ["discovered", "replicate"] },
  { label: "Replicating servers", section: "replicating-servers", blades: ["replicating", "server"] },
  { label: "Recovery plans", section: "recovery-plans", blades: ["plans", "plan"] },
  { label: "Jobs", section: "jobs", blades: ["jobs", "job"] },
  { label: "Virtual machines", section: "virtual-machines", blades: ["vms"] },
  { label: "Set-up", section: "setup", blades: ["setup"] },
];

function ProjectNav(props: { projectId: string; blade: Blade["name"] }) {
  return (
    <nav class="side" aria-label="Project">
      <ul>
        {sections.map(({ label, section, blades }) => (
          <li key={label}>
            <a
              href={href.project(props.projectId, section)}
              aria-current={blades.includes(props.blade) ? "page" : undefined}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The frame around every blade: who is signed in, the project's navigation, the blade itself. */
export function Layout(props: { blade: Blade; children: ComponentChildren }) {
  const { client, role, signOut } = useFerry();
  const projectId = "projectId" in props.blade ? props.blade.projectId : undefined;
  const project = useLive(
    (signal) =>
      projectId ? client.call(routes.getProject, { params: { projectId }, signal }) : Promise.resolve(undefined),
    [projectId],
    30_000,
  );
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href={href.projects()}>
          Ferry
        </a>
        {project.data ? <span class="project-name">{project.data.name}</span> : null}
        <span class="spacer" />
        <span class="role">{role}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <div class="body">
        {projectId ? <ProjectNav projectId={projectId} blade={props.blade.name} /> : null}
        <main>{props.children}</main>
      </div>
    </div>
  );
}
