import { FerryClient, type Credential } from "../../client/ferryClient";
import { serverRoot } from "../../client/serverUrl";
import { routes } from "../../shared/api/routes";
import { UsageError } from "../cliErrors";
import type { Invocation } from "../commandKit";
import { note, printJson } from "../output";
import { saveProfile, type Profile } from "../profiles";
import { entraCredential, Session } from "../session";

interface LoginOptions {
  server: string;
  key?: string;
  entra?: boolean;
  audience?: string;
  tenant?: string;
}

function profileFrom(options: LoginOptions, previous: Profile | undefined): Profile {
  const server = serverRoot(options.server);
  const project = previous?.server === server ? previous.project : undefined;
  if (options.entra) {
    if (options.key) throw new UsageError("Use --key or --entra, not both.");
    if (!options.audience) throw new UsageError("--entra needs --audience, the API's Application ID URI (api://...).");
    const entra = { audience: options.audience, ...(options.tenant ? { tenantId: options.tenant } : {}) };
    return { server, entra, ...(project ? { project } : {}) };
  }
  const key = options.key || process.env.FERRY_OPERATOR_KEY;
  if (!key) throw new UsageError("Give the operator key: --key KEY (or set FERRY_OPERATOR_KEY), or use --entra.");
  return { server, key, ...(project ? { project } : {}) };
}

/** Checks the server answers and accepts the credential, then saves the profile. */
export async function login({ options }: Invocation<LoginOptions>): Promise<void> {
  const session = new Session(options);
  const profile = profileFrom(options, session.profile);
  const credential: Credential | undefined = profile.entra ? entraCredential(profile.entra) : profile.key;
  const client = new FerryClient({ server: profile.server, credential });
  await client.call(routes.getHealth);
  const projects = await client.listAll(routes.listProjects);
  const file = saveProfile(session.profileName, profile);
  if (session.json) {
    printJson({ profile: session.profileName, server: profile.server, configFile: file, projects: projects.length });
    return;
  }
  note(`Logged in to ${profile.server} as profile "${session.profileName}" (saved in ${file}).`);
  note(
    projects.length === 0
      ? "No project yet: ferry project create --name NAME --geography Europe --target-region westeurope"
      : `Projects: ${projects.map((p) => p.name).join(", ")}. Pick the default with: ferry project use NAME`,
  );
}
