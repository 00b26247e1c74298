import { useState } from "preact/hooks";

/**
 * A form's submit: busy from the click on (a success leaves the form as it goes), and a failure kept to
 * show, the form usable again.
 */
export function useSubmit(work: () => Promise<void>, initialError?: unknown) {
  const [error, setError] = useState<unknown>(initialError);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
