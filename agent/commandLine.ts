// The agent's command line, read with node:util alone: the agent ships to source servers and carries nothing else.
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { agentApiBase } from "./serverAddress";

/** The usage, under the name the agent was started by: `npm run agent --` in a clone, `ferry-agent` installed. */
export function usage(program: string): string {
  const pad = " ".repeat(program.length);
  return `Usage:
  ${program} register --server ADDRESS --passphrase-file FILE --state-dir DIR --disk PATH [--disk PATH ...]
  ${pad}          [--boot-disk PATH] [--hostname NAME] [--shutdown-command CMD]
  ${pad}          [--freeze-command CMD --thaw-command CMD] [--max-bytes-per-second N]
  ${program} run --state-dir DIR
  ${program} status --state-dir DIR [--json]
  ${program} [COMMAND] --help
ADDRESS is the appliance's address: its root (http://host:7071) or its API base (http://host:7071/api).`;
}

/** How the agent was started, for its usage: `npm run agent` names its script in npm_lifecycle_event. */
export function programName(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === "agent" ? "npm run agent --" : "ferry-agent";
}

/**
 * Where relative paths start: the caller's directory. `npm run agent` runs in the package root and
 * keeps the caller's directory in INIT_CWD; any other process may have inherited INIT_CWD from an
 * npm script that started it, and its own working directory is the caller's.
 */
export function callerDirectory(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.npm_lifecycle_event === "agent" && env.INIT_CWD ? env.INIT_CWD : cwd;
}

/** A command line the agent cannot act on; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = "UsageError";
  }
}

export interface RegisterOptions {
  server: string;
  passphraseFile: string;
  stateDir: string;
  disks: string[];
  bootDisk?: string;
  hostname?: string;
  shutdownCommand?: string;
  freezeCommand?: string;
  thawCommand?: string;
  maxBytesPerSecond?: number;
}

export type AgentCommand =
  | { name: "help" }
  | { name: "register"; options: RegisterOptions }
  | { name: "run"; stateDir: string }
  | { name: "status"; stateDir: string; json: boolean };

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, undefined | string | boolean | Array<string | boolean>>;

const text = { type: "string" } as const;
const help = { help: { type: "boolean", short: "h" } } as const;
const optionsOf = {
  register: {
    ...help,
    server: text,
    "passphrase-file": text,
    "state-dir": text,
    disk: { type: "string", multiple: true },
    "boot-disk": text,
    hostname: text,
    "shutdown-command": text,
    "freeze-command": text,
    "thaw-command": text,
    "max-bytes-per-second": text,
  },
  run: { ...help, "state-dir": text },
  status: { ...help, "state-dir": text, json: { type: "boolean" } },
} satisfies Record<string, Options>;

type CommandName = keyof typeof optionsOf;
const isCommand = (name: string): name is CommandName => Object.hasOwn(optionsOf, name);

/** The command `argv` (after `node cli.js`) asks for; relative paths are taken from `base`. */
export function parseAgentCommand(argv: string[], base: string): AgentCommand {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") return { name: "help" };
  if (name === undefined) throw new UsageError("Give a command: register, run or status.");
  if (!isCommand(name)) throw new UsageError(`Unknown command "${name}".`);
  // Lenient parsing with tokens, so checkTokens can refuse mistakes in the agent's own words.
  const config: ParseArgsConfig = {
    args: rest,
    options: optionsOf[name],
    strict: false,
    allowPositionals: true,
    tokens: true,
  };
  const { values, tokens } = parseArgs(config);
  checkTokens(tokens ?? [], optionsOf[name], name);
  if (values.help === true) return { name: "help" };
  const stateDir = path.resolve(base, required(values, "state-dir"));
  if (name === "run") return { name, stateDir };
  if (name === "status") return { name, stateDir, json: values.json === true };
  return { name, options: registerOptions(values, base, stateDir) };
}

type Token = NonNullable<ReturnType<typeof parseArgs>["tokens"]>[number];

/** What strict parsing would refuse, told in the agent's words: the option named, no stack. */
function checkTokens(tokens: Token[], options: Options, command: string): void {
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") throw new UsageError(`Unexpected argument "${token.value}" for ${command}.`);
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!option) throw new UsageError(`Unknown option ${token.rawName} for ${command}.`);
    if (option.type === "boolean" && token.value !== undefined)
      throw new UsageError(`${token.rawName} takes no value.`);
    // A following `--name` is the next option, not this one's value (write --name=VALUE for such a value).
    if (option.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))))
      throw new UsageError(`${token.rawName} needs a value.`);
  }
}

function all(values: Values, name: string): string[] {
  const value = values[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === "string");
}

const last = (values: Values, name: string): string | undefined => all(values, name).at(-1);

function required(values: Values, name: string): string {
  const value = last(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required.`);
  return value;
}

function registerOptions(values: Values, base: string, stateDir: string): RegisterOptions {
  const disks = all(values, "disk").map((disk) => path.resolve(base, disk));
  if (disks.length === 0) throw new UsageError("At least one --disk is required.");
  const bootDisk = last(values, "boot-disk");
  return {
    server: apiBase(required(values, "server")),
    passphraseFile: path.resolve(base, required(values, "passphrase-file")),
    stateDir,
    disks,
    bootDisk: bootDisk === undefined ? undefined : path.resolve(base, bootDisk),
    hostname: last(values, "hostname"),
    shutdownCommand: last(values, "shutdown-command"),
    ...freezeHooks(values),
    maxBytesPerSecond: bandwidthCap(last(values, "max-bytes-per-second")),
  };
}

/** Freeze hooks come as a pair: a freeze without its thaw would leave the source quiesced. */
function freezeHooks(values: Values): Pick<RegisterOptions, "freezeCommand" | "thawCommand"> {
  const freezeCommand = last(values, "freeze-command");
  const thawCommand = last(values, "thaw-command");
  if ((freezeCommand === undefined) !== (thawCommand === undefined))
    throw new UsageError("--freeze-command and --thaw-command go together.");
  return { freezeCommand, thawCommand };
}

function bandwidthCap(cap: string | undefined): number | undefined {
  if (cap === undefined) return undefined;
  const bytes = Number(cap);
  if (!(Number.isSafeInteger(bytes) && bytes > 0))
    throw new UsageError(`--max-bytes-per-second must be a positive whole number, not "${cap}".`);
  return bytes;
}

function apiBase(address: string): string {
  try {
    return agentApiBase(address);
  } catch (error) {
    throw new UsageError(`--server ${address} is not an address: ${error instanceof Error ? error.message : error}`);
  }
}
