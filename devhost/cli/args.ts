/** A command line the command cannot take: exit code 2, and a pointer to --help. */
export class UsageError extends Error {}

/** True when the command line asks for help (`--help` or `-h` anywhere). */
export function wantsHelp(argv: string[]): boolean {
  return argv.some((arg) => arg === "--help" || arg === "-h" || arg.startsWith("--help="));
}

/** Parses `--name value` pairs and bare `--flag`s; repeated names collect into arrays. */
export function parseArgs(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new UsageError(`Unexpected argument "${arg}"; see --help.`);
    const [name, inline] = arg.slice(2).split("=", 2);
    const next = argv[i + 1];
    const value = inline ?? (next !== undefined && !next.startsWith("--") ? (i++, next) : "true");
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/** Refuses options the command does not take, so a typo is not silently ignored. */
export function onlyOptions(args: Map<string, string[]>, known: readonly string[]): void {
  const unknown = [...args.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown option ${unknown.map((n) => `--${n}`).join(", ")}; see --help.`);
  }
}

export function single(args: Map<string, string[]>, name: string): string | undefined {
  return args.get(name)?.at(-1);
}

export function portArg(args: Map<string, string[]>, name = "port"): number | undefined {
  const text = single(args, name);
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--${name} must be a port number, not "${text}".`);
  return port;
}
