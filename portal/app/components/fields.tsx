import type { ComponentChildren, InputHTMLAttributes } from "preact";
import { useId } from "preact/hooks";

interface FieldProps {
  label: string;
  /** The API's message about this field: shown under it and tied to it for screen readers. */
  error?: string;
  hint?: string;
}

function Described(props: FieldProps & { id: string; children: ComponentChildren }) {
  return (
    <div class={`field${props.error ? " invalid" : ""}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${props.id}-error`} class="field-error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

function describedBy(id: string, props: FieldProps): string | undefined {
  const ids = [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function TextField(
  props: FieldProps & {
    value: string;
    onInput(value: string): void;
    /** A credential: typed into a password field, never shown. */
    secret?: boolean;
    required?: boolean;
    type?: "text" | "url" | "number" | "datetime-local";
  },
) {
  const id = useId();
  // Preact types each input type apart; one element with a chosen type is still an input.
  const input = {
    type: props.secret ? "password" : (props.type ?? "text"),
    id,
    value: props.value,
    required: props.required,
    autocomplete: "off",
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": describedBy(id, props),
    onInput: (event: { currentTarget: HTMLInputElement }) => props.onInput(event.currentTarget.value),
  } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <Described {...props} id={id}>
      <input {...input} />
    </Described>
  );
}

export function TextAreaField(props: FieldProps & { value: string; onInput(value: string): void }) {
  const id = useId();
  return (
    <Described {...props} id={id}>
      <textarea
        id={id}
        rows={3}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props)}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Described>
  );
}

export function SelectField(
  props: FieldProps & { value: string; onChange(value: string): void; options: { value: string; label: string }[] },
) {
  const id = useId();
  return (
    <Described {...props} id={id}>
      <select
        id={id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props)}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Described>
  );
}

export function CheckField(props: FieldProps & { checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div class={`field check${props.error ? " invalid" : ""}`}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        aria-describedby={describedBy(id, props)}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${id}-error`} class="field-error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}
