import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Live<T> {
  data?: T;
  error?: unknown;
  /** Loads again now (after an action), without waiting for the next tick. */
  reload(): void;
}

/** How often the blades refresh their figures. */
export const refreshMs = 2000;

/**
 * Figures that refresh on their own: `load` runs now and again `intervalMs` after each answer
 * while the tab is visible; a blade that changes drops the answers it asked for before.
 */
export function useLive<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  intervalMs = refreshMs,
): Live<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown }>({});
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => setState({}), deps);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next load is timed from the end of this one, so slow answers never pile up.
    const wait = () => {
      timer = setTimeout(() => (document.hidden ? wait() : setTick((n) => n + 1)), intervalMs);
    };
    loader.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setState({ data });
        wait();
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((old) => ({ ...old, error }));
        wait();
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
