/** A progress bar with its figure written next to it. */
export function Progress(props: { label: string; value: number }) {
  return (
    <span class="progress">
      <progress max={100} value={props.value} aria-label={props.label} />
      <span>{props.value} %</span>
    </span>
  );
}
