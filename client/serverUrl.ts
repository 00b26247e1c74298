/**
 * The host root of a server address. Both `http://host:7071` and the API base `http://host:7071/api`
 * are accepted, as people copy either; the client adds `/api` itself.
 */
export function serverRoot(address: string): string {
  const trimmed = address.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  const url = new URL(withScheme);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`The server address must be http:// or https://, not ${url.protocol}//.`);
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api$/, "");
  return `${url.origin}${path}`;
}
