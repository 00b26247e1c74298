import { render } from "preact";
import { FerryClient, routes, type Credential } from "../../client";
import type { PortalConfig } from "../../shared/api/session";
import { App } from "./app";
import { resumeEntraSession } from "./session/entraSession";
import { storedKey } from "./session/keySession";
import "./styles.css";

/** What a returning tab signs in with: its kept key, or the Entra ID account MSAL signed in. */
function resumer(config: PortalConfig): { resume?: () => Promise<Credential | undefined>; leave(): void } {
  if (config.entra === undefined) {
    const key = storedKey();
    return { ...(key === undefined ? {} : { resume: async () => key }), leave: () => undefined };
  }
  const entra = config.entra;
  let signOut = () => undefined as unknown;
  return {
    resume: async () => {
      const session = await resumeEntraSession(entra);
      if (session === undefined) return undefined;
      signOut = () => void session.signOut();
      return () => session.token();
    },
    leave: () => signOut(),
  };
}

async function boot(root: HTMLElement): Promise<void> {
  const config = await new FerryClient({ server: location.origin }).call(routes.getPortalConfig);
  const { resume, leave } = resumer(config);
  root.replaceChildren();
  render(<App config={config} {...(resume ? { resume } : {})} leave={leave} />, root);
}

const root = document.getElementById("app");
if (root)
  boot(root).catch((error: unknown) => {
    root.textContent = `Ferry could not start: ${error instanceof Error ? error.message : String(error)}`;
  });
