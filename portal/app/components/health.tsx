import type { ReplicatingServer } from "../../../client";

const icons: Record<ReplicatingServer["health"], string> = {
  Normal: "M4 8.5l2.5 2.5L12 5.5",
  Warning: "M8 4v5M8 11.5v.5",
  Critical: "M5 5l6 6M11 5l-6 6",
};

/** The health word with its icon, inline. */
export function HealthBadge(props: { health: ReplicatingServer["health"] }) {
  return (
    <span class={`health health-state ${props.health.toLowerCase()}`}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        <circle cx="8" cy="8" r="7.5" />
        <path d={icons[props.health]} />
      </svg>
      {props.health}
    </span>
  );
}

/** The health word with its icon, and each health error with its recommended action. */
export function Health(props: { health: ReplicatingServer["health"]; errors?: ReplicatingServer["healthErrors"] }) {
  return (
    <div class="health-cell">
      <HealthBadge health={props.health} />
      {props.errors && props.errors.length > 0 ? (
        <ul class="health-errors">
          {props.errors.map((error) => (
            <li key={error.code}>
              <strong>{error.message}</strong> <span class="action">Recommended action: {error.recommendedAction}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
