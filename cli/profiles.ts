import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** How a profile authenticates: an operator key, or Entra ID tokens for an audience. */
export interface Profile {
  server: string;
  key?: string;
  entra?: { audience: string; tenantId?: string };
  /** The default --project (its id), set by `ferry project use`. */
  project?: string;
}

interface ConfigFile {
  profiles: Record<string, Profile>;
}

export const defaultProfileName = "default";

/** $FERRY_CONFIG_DIR, else ~/.config/ferry. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FERRY_CONFIG_DIR || path.join(os.homedir(), ".config", "ferry");
}

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), "config.json");
}

function readConfig(file: string): ConfigFile {
  if (!fs.existsSync(file)) return { profiles: {} };
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<ConfigFile>;
  return { profiles: parsed.profiles ?? {} };
}

export function readProfile(name: string, env: NodeJS.ProcessEnv = process.env): Profile | undefined {
  return readConfig(configFile(env)).profiles[name];
}

/** Saves a profile: the file holds keys, so only its owner may read it (0600, in a 0700 folder). */
export function saveProfile(name: string, profile: Profile, env: NodeJS.ProcessEnv = process.env): string {
  const file = configFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const config = readConfig(file);
  config.profiles[name] = profile;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  fs.chmodSync(file, 0o600);
  return file;
}

/** Writes a secret to a file only its owner can read, whatever mode the file had before. */
export function writeSecretFile(file: string, secret: string): void {
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
