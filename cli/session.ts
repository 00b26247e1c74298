import { FerryClient, type Credential } from "../client/ferryClient";
import type { ProjectClient } from "../client/projectClient";
import { UsageError } from "./cliErrors";
import type { GlobalOptions } from "./commandKit";
import { defaultProfileName, readProfile, type Profile } from "./profiles";
import { resolveProject } from "./lookups";

export type OutputMode = "table" | "json";

/**
 * Everything a command needs from its surroundings, read once: flags first, then FERRY_* variables,
 * then the saved profile.
 */
export class Session {
  readonly output: OutputMode;
  readonly profileName: string;
  readonly profile: Profile | undefined;
  private projectClient?: Promise<ProjectClient>;

  /** `serverOverride`: a command's own --server URL (login, appliance register). */
  constructor(
    readonly globals: GlobalOptions,
    private readonly serverOverride?: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.output = globals.output ?? (process.stdout.isTTY ? "table" : "json");
    this.profileName = globals.profile || env.FERRY_PROFILE || defaultProfileName;
    this.profile = readProfile(this.profileName, env);
  }

  get json(): boolean {
    return this.output === "json";
  }

  server(): string {
    const server = this.serverOverride || this.env.FERRY_SERVER || this.profile?.server;
    if (!server) {
      throw new UsageError("No server: run `ferry login --server URL --key KEY` first, or set FERRY_SERVER.");
    }
    return server;
  }

  /** The client with the operator's credential. */
  client(): FerryClient {
    return new FerryClient({ server: this.server(), credential: this.credential() });
  }

  /** The client without any credential (registering an appliance: the registration key is the credential). */
  anonymousClient(): FerryClient {
    return new FerryClient({ server: this.server() });
  }

  /** Where the project comes from, so a printed hint can repeat it when it is not the default. */
  projectSource(): "flag" | "profile" | undefined {
    if (this.globals.project || this.env.FERRY_PROJECT) return "flag";
    return this.profile?.project ? "profile" : undefined;
  }

  /** The project the command acts on, resolved by name or id once. */
  project(): Promise<ProjectClient> {
    this.projectClient ??= (async () => {
      const client = this.client();
      const wanted = this.globals.project || this.env.FERRY_PROJECT || this.profile?.project;
      if (!wanted) {
        throw new UsageError("No project: pass --project NAME, set FERRY_PROJECT, or run `ferry project use NAME`.");
      }
      return client.project((await resolveProject(client, wanted)).id);
    })();
    return this.projectClient;
  }

  /** ` --project X` when the project did not come from the profile, for hints that name a command. */
  projectFlag(projectId: string): string {
    return this.projectSource() === "flag" ? ` --project ${projectId}` : "";
  }

  private credential(): Credential | undefined {
    const key = this.env.FERRY_OPERATOR_KEY || this.profile?.key;
    if (key) return key;
    const entra = this.profile?.entra;
    return entra ? entraCredential(entra) : undefined;
  }
}

/** Entra ID tokens for the API's audience, from @azure/identity (loaded only when a profile uses it). */
export function entraCredential({ audience, tenantId }: NonNullable<Profile["entra"]>): () => Promise<string> {
  const scope = audience.endsWith("/.default") ? audience : `${audience.replace(/\/+$/, "")}/.default`;
  let credential: Promise<import("@azure/identity").TokenCredential> | undefined;
  return async () => {
    credential ??= import("@azure/identity").then(
      ({ DefaultAzureCredential }) => new DefaultAzureCredential(tenantId ? { tenantId } : {}),
    );
    const token = await (await credential).getToken(scope);
    if (!token) throw new UsageError(`Entra ID gave no token for ${scope}; sign in (az login) and try again.`);
    return token.token;
  };
}
