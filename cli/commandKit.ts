import { InvalidArgumentError, type Command, type Option } from "commander";

/** What a command's handler gets: its positional arguments and its options merged with the global ones. */
export interface Invocation<O = Record<string, unknown>> {
  args: string[];
  options: O & GlobalOptions;
  command: Command;
}

export interface GlobalOptions {
  profile?: string;
  project?: string;
  output?: "table" | "json";
}

export type Handler = (invocation: Invocation<never>) => Promise<void>;

/**
 * An action whose code loads only when the command runs, so `ferry --help` never pays for the
 * client, zod or the table and progress libraries.
 */
export function lazy<M>(load: () => Promise<M>, pick: (module: M) => Handler) {
  return async (...params: unknown[]): Promise<void> => {
    const command = params[params.length - 1] as Command;
    checkRequiredOptions(command);
    const args = params.slice(0, -2).flatMap((arg) => (arg === undefined ? [] : [arg as string | string[]]).flat());
    const handler = pick(await load());
    await handler({ args, options: command.optsWithGlobals() as never, command });
  };
}

/** Adds examples to a command's --help. */
export function examples(command: Command, ...lines: string[]): Command {
  return command.addHelpText(
    "after",
    `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((l) => `  $ ${l}`).join("\n")}`,
  );
}

/** For options given more than once: `--exclude-disk a --exclude-disk b`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A whole number option; anything else is a usage error (exit 2). */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return Number(value);
}

const required = new WeakSet<Option>();

/**
 * Commander checks required options before unknown ones, so `--polcy` would get "--policy not
 * specified" instead of "did you mean --policy?". Required options are checked here instead, once
 * the unknown ones have been reported.
 */
export function deferRequiredOptions(command: Command): void {
  for (const option of command.options) {
    if (!option.mandatory) continue;
    option.mandatory = false;
    option.description = `${option.description} (required)`;
    required.add(option);
  }
  command.commands.forEach(deferRequiredOptions);
}

function checkRequiredOptions(command: Command): void {
  for (const option of command.options) {
    if (!required.has(option) || command.getOptionValue(option.attributeName()) !== undefined) continue;
    command.error(`error: required option '${option.flags}' not specified`, {
      exitCode: 2,
      code: "commander.missingMandatoryOptionValue",
    });
  }
}
