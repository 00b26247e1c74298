/** Where secrets live (Key Vault). Names are [0-9a-zA-Z-]{1,127}. */
export interface SecretStore {
  set(name: string, value: string, options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** The current value, or undefined when there is none. */
  get(name: string, options?: { abortSignal?: AbortSignal }): Promise<string | undefined>;
  /** Deletes and purges; absent secrets are fine (idempotent). */
  remove(name: string, options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** True when the vault answers. */
  ping(options?: { abortSignal?: AbortSignal }): Promise<boolean>;
}

/** A vault-safe secret name for an id (Key Vault allows only letters, digits and '-'). */
export function secretName(kind: string, id: string): string {
  return `${kind}-${id.replace(/_/g, "-")}`;
}
