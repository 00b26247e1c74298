#!/usr/bin/env node
// `ferry`: the operator CLI. This file loads only commander and the command tree; each command's
// code, the API client and the output libraries load when a command runs (start-up stays fast).
import { CommanderError } from "commander";
import { buildProgram } from "./program";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram(version).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every other parse problem is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const { reportFailure } = await import("./failure.js");
    process.exitCode = reportFailure(error);
  }
}

void main(process.argv);
