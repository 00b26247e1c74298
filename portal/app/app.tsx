import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { FerryClient, routes, type Credential } from "../../client";
import type { PortalConfig } from "../../shared/api/session";
import type { OperatorRole } from "../../shared/domain/operatorRoles";
import { Blades } from "./blades";
import { SignIn } from "./blades/signIn";
import { FerryContext, type Ferry } from "./ferry";
import { Layout } from "./layout";
import { NoticeList, useNotifications } from "./notifications";
import { useBlade } from "./router";
import { forgetKey, storeKey } from "./session/keySession";

/** A credential the API accepted, and what it may do. */
export interface SignedIn {
  client: FerryClient;
  role: OperatorRole;
  leave(): void;
}

/** The client for a credential; an answer of 401 later (a rotated key, an expired token) signs out. */
export async function signInWith(credential: Credential, leave: () => void, onRefused: () => void): Promise<SignedIn> {
  let accepted = false;
  const client = new FerryClient({
    server: location.origin,
    credential,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401 && accepted) onRefused();
      return response;
    },
  });
  const who = await client.call(routes.whoAmI);
  accepted = true;
  return { client, role: who.role, leave };
}

function SignedInPortal(props: { session: SignedIn }) {
  const blade = useBlade();
  const { notices, notify, dismiss, watchJob } = useNotifications(props.session.client);
  const ferry: Ferry = useMemo(
    () => ({ client: props.session.client, role: props.session.role, notify, watchJob, signOut: props.session.leave }),
    [props.session, notify, watchJob],
  );
  return (
    <FerryContext.Provider value={ferry}>
      <Layout blade={blade}>
        <Blades blade={blade} />
      </Layout>
      <NoticeList notices={notices} dismiss={dismiss} />
    </FerryContext.Provider>
  );
}

/** Signed out: the sign-in blade; signed in: the portal. */
export function App(props: { config: PortalConfig; resume?: () => Promise<Credential | undefined>; leave(): void }) {
  const [session, setSession] = useState<SignedIn>();
  const [error, setError] = useState<unknown>();
  const [checking, setChecking] = useState(props.resume !== undefined);
  const signOut = useCallback(() => {
    forgetKey();
    setSession(undefined);
    props.leave();
  }, []);
  const refused = useCallback(() => {
    forgetKey();
    setSession(undefined);
    setError(new Error("The sign-in is no longer accepted (the key changed or expired); sign in again."));
  }, []);
  const start = async (credential: Credential) => setSession(await signInWith(credential, signOut, refused));
  useEffect(() => {
    props
      .resume?.()
      .then((credential) => (credential === undefined ? undefined : start(credential)))
      .catch((failure: unknown) => {
        forgetKey();
        setError(failure);
      })
      .finally(() => setChecking(false));
  }, []);
  if (checking) return <p class="loading">Signing in…</p>;
  if (session) return <SignedInPortal session={session} />;
  return (
    <SignIn
      config={props.config}
      error={error}
      onKey={async (key) => {
        await start(key);
        storeKey(key);
      }}
    />
  );
}
