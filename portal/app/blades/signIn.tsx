import { useState } from "preact/hooks";
import { useSubmit } from "../useSubmit";
import type { PortalConfig } from "../../../shared/api/session";
import { ApiErrorAlert } from "../components/apiError";
import { TextField } from "../components/fields";
import { startEntraSignIn } from "../session/entraSession";

/** Sign-in: an operator key (kept in this tab only) or, in Azure, Entra ID. */
export function SignIn(props: { config: PortalConfig; onKey(key: string): Promise<void>; error?: unknown }) {
  const [key, setKey] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    if (props.config.entra) await startEntraSignIn(props.config.entra);
    else await props.onKey(key.trim());
  }, props.error);
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
