// The operator key lives in this tab's sessionStorage only: gone when the tab closes, never in a URL.
const storageKey = "ferry.operatorKey";

export function storedKey(): string | undefined {
  return sessionStorage.getItem(storageKey) ?? undefined;
}

export function storeKey(key: string): void {
  sessionStorage.setItem(storageKey, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(storageKey);
}
