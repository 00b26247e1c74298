import { fieldError } from "./apiError";
import { TextField } from "./fields";

/** A test migration's network and subnet, named as the API names them; the API's refusal lands on the field. */
export function NetworkFields(props: {
  network: string;
  subnet: string;
  set(change: { network?: string; subnet?: string }): void;
  error: unknown;
  hint: string;
}) {
  return (
    <>
      <TextField
        label="Network"
        value={props.network}
        onInput={(network) => props.set({ network })}
        error={fieldError(props.error, "network")}
        hint={props.hint}
      />
      <TextField
        label="Subnet"
        value={props.subnet}
        onInput={(subnet) => props.set({ subnet })}
        error={fieldError(props.error, "subnet")}
      />
    </>
  );
}
