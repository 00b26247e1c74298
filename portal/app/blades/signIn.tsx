import { useState } from "preact/hooks";
import type { PortalConfig } from "../../../shared/api/session";
import { ApiErrorAlert } from "../components/apiError";
import { TextField } from "../components/fields";
import { startEntraSignIn } from "../session/entraSession";

/** Sign-in: an operator key (kept in this tab only) or, in Azure, Entra ID. */
export function SignIn(props: { config: PortalConfig; onKey(key: string): Promise<void>; error?: unknown }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(props.error);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (props.config.entra) await startEntraSignIn(props.config.entra);
      else await props.onKey(key.trim());
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Sign in to Ferry</h1>
      <form onSubmit={submit}>
        {props.config.entra ? (
          <p>Sign in with your Entra ID account.</p>
        ) : (
          <TextField
            label="Operator key"
            secret
            required
            value={key}
            onInput={setKey}
            hint="npm start prints it. It stays in this browser tab only."
          />
        )}
        <ApiErrorAlert error={error} />
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </main>
  );
}
