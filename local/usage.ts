/** `npm start -- --help`. */
export const startUsage = `Usage: npm start [-- [--port N] [--data DIR]]

Runs Ferry on this machine: an embedded Azurite keeping its files under DIR, the local Key Vault,
and the local Functions host serving Ferry's API at http://127.0.0.1:N/api.

Options:
  --port N     the API's port (default 7071, or a free one when 7071 is taken; printed)
  --data DIR   the data folder: Azurite's files and the operator key (default .data in the repository)
  --help, -h   print this help and exit

Environment:
  FERRY_OPERATOR_KEY   the operator key (default: generated once, kept in DIR/operator-key, printed)

One Ferry per data folder: a second start on the same folder is refused, naming the process that holds it.
Stop with Ctrl-C or SIGTERM; Azurite stops with it.

Examples:
  npm start
  npm start -- --port 8080 --data /tmp/ferry-data
`;
