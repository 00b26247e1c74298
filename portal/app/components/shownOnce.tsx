/** A secret the API shows once: on screen until the operator leaves the blade, never stored. */
export function ShownOnce(props: { label: string; value?: string; note: string }) {
  if (props.value === undefined) return null;
  return (
    <div class="shown-once">
      <span>{props.label}</span>
      <output aria-label={props.label}>{props.value}</output>
      <small>{props.note}</small>
    </div>
  );
}
