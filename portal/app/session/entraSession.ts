import type { PortalConfig } from "../../../shared/api/session";

type EntraSettings = NonNullable<PortalConfig["entra"]>;

/** A bearer-token source for the client, from an Entra ID sign-in (MSAL, SPA redirect flow). */
export interface EntraSession {
  account: string;
  token(): Promise<string>;
  signOut(): Promise<void>;
}

// MSAL is loaded only in Entra ID mode: a key sign-in never downloads it.
async function msalApp(settings: EntraSettings) {
  const { createStandardPublicClientApplication } = await import("@azure/msal-browser");
  const app = await createStandardPublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: `${location.origin}/` },
    cache: { cacheLocation: "sessionStorage" },
  });
  return app;
}

/** Finishes a sign-in redirect if this load is one; the signed-in session, if there is one. */
export async function resumeEntraSession(settings: EntraSettings): Promise<EntraSession | undefined> {
  const app = await msalApp(settings);
  const redirect = await app.handleRedirectPromise();
  const account = redirect?.account ?? app.getAllAccounts()[0];
  if (!account) return undefined;
  app.setActiveAccount(account);
  return {
    account: account.username,
    async token() {
      try {
        return (await app.acquireTokenSilent({ scopes: settings.scopes, account })).accessToken;
      } catch {
        await app.acquireTokenRedirect({ scopes: settings.scopes, account });
        throw new Error("Signing in again with Entra ID…");
      }
    },
    signOut: () => app.logoutRedirect({ account, postLogoutRedirectUri: `${location.origin}/` }),
  };
}

/** Leaves for the Entra ID sign-in page; it comes back to the portal's root. */
export async function startEntraSignIn(settings: EntraSettings): Promise<void> {
  await (await msalApp(settings)).loginRedirect({ scopes: settings.scopes });
}
