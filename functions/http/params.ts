import type { HttpRequest } from "@azure/functions";
import type { IdKind } from "../../shared/domain/ids";
import { parseId } from "../../shared/domain/ids";
import { unwrap } from "../../shared/domain/result";

/**
 * A route id, checked against its strict pattern; anything else answers 404. The route table
 * names an id's path parameter after its kind (`{projectId}`) unless it says otherwise.
 */
export function idParam(request: HttpRequest, kind: IdKind, name = `${kind}Id`): string {
  return unwrap(parseId(kind, request.params[name] ?? "", kind));
}

export function list<T>(value: T[]): { value: T[] } {
  return { value };
}
