import type { IdKind } from "../domain/ids";
import type { SecretStore } from "../storage/secretStore";
import type { Stores } from "../storage/stores";

/** What control-plane use cases need; time and ids are injected so tests can steer them. */
export interface ControlPlaneDeps {
  stores: Stores;
  secrets: SecretStore;
  now: () => Date;
  newId: (kind: IdKind) => string;
  /** The data path's per-item storage (replica, cache, recovery points), when wired. */
  itemData?: { remove(projectId: string, itemId: string): Promise<string | undefined> };
}
