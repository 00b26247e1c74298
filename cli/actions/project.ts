import { routes } from "../../shared/api/routes";
import type { Invocation } from "../commandKit";
import { resolveProject } from "../lookups";
import { note, printList, printObject } from "../output";
import { saveProfile } from "../profiles";
import { Session } from "../session";
import { projectColumns, projectFields } from "../views/setupViews";

interface CreateOptions {
  name: string;
  geography: string;
  targetRegion: string;
}

export async function create({ options }: Invocation<CreateOptions>): Promise<void> {
  const session = new Session(options);
  const body = { name: options.name, geography: options.geography, targetRegion: options.targetRegion };
  const project = await session.client().call(routes.createProject, { body });
  await printObject(session, project, projectFields);
  if (!session.profile?.project) note(`Make it the default project with: ferry project use ${project.name}`);
}

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  await printList(session, await session.client().listAll(routes.listProjects), projectColumns, "No projects yet.");
}

export async function show({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const client = session.client();
  const projectId = args[0] ? (await resolveProject(client, args[0])).id : (await session.project()).projectId;
  await printObject(session, await client.call(routes.getProject, { params: { projectId } }), projectFields);
}

/** Saves the project in the profile, so later commands need no --project. */
export async function use({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await resolveProject(session.client(), args[0]);
  saveProfile(session.profileName, { ...(session.profile ?? { server: session.server() }), project: project.id });
  await printObject(session, project, projectFields);
  note(`Default project of profile "${session.profileName}": ${project.name} (${project.id}).`);
}
