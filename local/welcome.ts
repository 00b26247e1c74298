/** What `npm start` prints once Ferry is up: where it and its portal are, the key to send, and the first step. */
export function welcome(origin: string, operatorKey: string, dataDir: string): string {
  const api = `${origin}/api`;
  return [
    "",
    `Ferry is running at ${api}`,
    `  portal:        ${origin}/   (sign in with the operator key)`,
    `  operator key:  ${operatorKey}   (send as 'Authorization: Bearer <key>')`,
    `  health:        ${api}/health`,
    `  API document:  ${api}/openapi.json`,
    `  data:          ${dataDir}`,
    "",
    'Next: create a project, then follow README.md ("A first migration").',
    `  curl -s -X POST ${api}/projects -H "Authorization: Bearer $FERRY_OPERATOR_KEY" \\`,
    `       -H 'content-type: application/json' ` +
      `-d '{"name":"demo","geography":"Europe","targetRegion":"westeurope"}'`,
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}
