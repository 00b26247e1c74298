import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { FerryClient, Job } from "../../client";
import type { OperatorRole } from "../../shared/domain/operatorRoles";

/** What every blade needs: the typed client, the operator's role, and the notifications. */
export interface Ferry {
  client: FerryClient;
  role: OperatorRole;
  /** Tell the operator when this job ends. */
  watchJob(projectId: string, job: Job): void;
  notify(text: string, link?: string): void;
  signOut(): void;
}

export const FerryContext = createContext<Ferry | undefined>(undefined);

export function useFerry(): Ferry {
  const ferry = useContext(FerryContext);
  if (ferry === undefined) throw new Error("useFerry outside a signed-in portal.");
  return ferry;
}
