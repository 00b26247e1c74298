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
    'Next: log in with the CLI and create a project, then follow README.md ("A first migration").',
    `  npx ferry login --server ${origin} --key ${operatorKey}`,
    "  npx ferry project create --name demo --geography Europe --target-region westeurope",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}
