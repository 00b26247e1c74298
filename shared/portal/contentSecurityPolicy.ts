/**
 * The portal page's Content-Security-Policy: its own scripts and styles only (nothing inline),
 * calls to its own API only, and in Entra ID mode the one sign-in host MSAL talks to (token
 * requests; its hidden frame for silent renewal).
 */
export function contentSecurityPolicy(signInOrigin?: string): string {
  const signIn = signInOrigin === undefined ? "" : ` ${signInOrigin}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${signIn}`,
    `frame-src ${signInOrigin ?? "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
