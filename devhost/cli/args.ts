/** Parses `--name value` pairs and bare `--flag`s; repeated names collect into arrays. */
export function parseArgs(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`Unexpected argument "${arg}".`);
    const [name, inline] = arg.slice(2).split("=", 2);
    const next = argv[i + 1];
    const value = inline ?? (next !== undefined && !next.startsWith("--") ? (i++, next) : "true");
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

export function single(args: Map<string, string[]>, name: string): string | undefined {
  return args.get(name)?.at(-1);
}

export function portArg(args: Map<string, string[]>, name = "port"): number | undefined {
  const text = single(args, name);
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--${name} must be a port number, not "${text}".`);
  return port;
}
