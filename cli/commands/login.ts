import type { Command } from "commander";
import { examples, lazy } from "../commandKit";

export function loginCommand(program: Command): void {
  examples(
    program
      .command("login")
      .summary("Save a profile: the server and how to authenticate")
      .description(
        "Save a profile: the server and how to authenticate, in a 0600 file under $FERRY_CONFIG_DIR " +
          "(default ~/.config/ferry). The server and the credential are checked before anything is saved; " +
          "--profile NAME keeps more than one.",
      )
      .requiredOption("--server <url>", "the host root (http://host:7071) or the API base (http://host:7071/api)")
      .option("--key <key>", "an operator key (default: FERRY_OPERATOR_KEY)")
      .option("--entra", "authenticate with Entra ID tokens (az login, managed identity, ...) instead of a key")
      .option("--audience <uri>", "with --entra: the API's Application ID URI, e.g. api://<client-id>")
      .option("--tenant <id>", "with --entra: the Entra ID tenant")
      .action(
        lazy(
          () => import("../actions/login.js"),
          (m) => m.login,
        ),
      ),
    'ferry login --server http://127.0.0.1:7071 --key "$FERRY_OPERATOR_KEY"',
    "ferry login --profile prod --server https://ferry.example.net --entra --audience api://11111111-2222-3333-4444-555555555555",
  );
}
