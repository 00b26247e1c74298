import { FerryApiError, FerryUnreachableError } from "../../../client";

/** The API's words for a refusal, with its code, as an alert the operator (and a screen reader) notices. */
export function ApiErrorAlert(props: { error: unknown; what?: string }) {
  if (props.error === undefined) return null;
  const { error } = props;
  const message =
    error instanceof FerryApiError || error instanceof FerryUnreachableError
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <p role="alert" class="error">
      {props.what ? `${props.what}: ` : ""}
      {message}
      {error instanceof FerryApiError ? <code class="code"> {error.code}</code> : null}
    </p>
  );
}

/** The API's message about one field (its `target`, or one of its details), if it names that field. */
export function fieldError(error: unknown, target: string): string | undefined {
  if (!(error instanceof FerryApiError)) return undefined;
  const detail = error.details?.find((d) => d.target === target);
  if (detail) return detail.message;
  return error.target === target ? error.message : undefined;
}
