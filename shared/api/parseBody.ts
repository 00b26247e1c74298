import type { z } from "zod";
import { errors, type FerryError } from "../domain/errors";
import { fail, ok, type Result } from "../domain/result";

type Issue = z.core.$ZodIssue;

/** "target.disks[0].diskType": the path a client can point at in its own body. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    return text === "" ? String(key) : `${text}.${String(key)}`;
  }, "");
}

/** Zod's words, made to read well and to name the field; values sent are never echoed (they may be secrets). */
function describeIssue(issue: Issue): Array<{ target: string; message: string }> {
  const target = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const field = formatPath([...issue.path, key]);
      return { target: field, message: `${field}: unknown field; remove it (see GET /api/openapi.json).` };
    });
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return [{ target, message: `${target}: is required.` }];
  }
  const label = target === "" ? "body" : target;
  const lastKey = String(issue.path[issue.path.length - 1] ?? "");
  const message = lastKey !== "" && issue.message.startsWith(lastKey) ? issue.message : `${label}: ${issue.message}`;
  return [{ target: label, message: message.endsWith(".") ? message : `${message}.` }];
}

/** Validates an already-parsed JSON body; the error names every problem, the first one as `target`. */
export function safeParseBody<T extends z.ZodType>(schema: T, body: unknown): Result<z.output<T>> {
  const parsed = schema.safeParse(body ?? {}, { reportInput: true });
  if (parsed.success) return ok(parsed.data);
  return fail(invalidBody(parsed.error.issues));
}

/** As safeParseBody, for handlers that throw and let one place answer. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = safeParseBody(schema, body);
  if (!result.ok) throw result.error;
  return result.value;
}

/** One problem per field: an empty name fails both its length and its pattern, but one line says enough. */
function invalidBody(issues: readonly Issue[]): FerryError {
  const seen = new Set<string>();
  const problems = issues
    .flatMap(describeIssue)
    .filter((problem) => !seen.has(problem.target) && seen.add(problem.target));
  return problems.length === 0 ? errors.invalidInput("The request body is invalid.") : errors.invalidFields(problems);
}
