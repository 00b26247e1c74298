import { FerryApiError, FerryUnreachableError } from "../client/errors";
import { exitCodes, ResolveError, UsageError } from "./cliErrors";

const hints: Record<string, string> = {
  Unauthorized: "Check the operator key: ferry login --server URL --key KEY, or FERRY_OPERATOR_KEY.",
  Forbidden: "This key's role does not allow it: a Reader only reads, and only an Owner manages operator keys.",
};

/** Prints an error as `error <Code>: <message>` (and its target) on stderr; returns the exit code. */
export function reportFailure(error: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (error instanceof FerryApiError) {
    const lines = [`error ${error.code}: ${error.message}`];
    if (error.target) lines.push(`  target: ${error.target}`);
    const details = error.details ?? [];
    if (details.length > 1) for (const detail of details) lines.push(`  - ${detail.message}`);
    if (hints[error.code]) lines.push(hints[error.code]);
    write(`${lines.join("\n")}\n`);
    return exitCodes.refused;
  }
  if (error instanceof FerryUnreachableError) {
    write(
      `error Unreachable: ${error.message}\n` +
        "Check the server address (FERRY_SERVER, or the one `ferry login --server` saved) " +
        "and that the Ferry host is running there (npm start prints its address).\n",
    );
    return exitCodes.refused;
  }
  if (error instanceof ResolveError) {
    write(`error ${error.code}: ${error.message}\n  target: ${error.target}\n`);
    return exitCodes.refused;
  }
  if (error instanceof UsageError) {
    write(`error: ${error.message}\n`);
    return exitCodes.usage;
  }
  write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return exitCodes.refused;
}
