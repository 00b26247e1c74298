import type { TestProject } from "vitest/node";
import { startAzurite, type EmbeddedAzurite } from "../../devhost/azurite/embedded";

declare module "vitest" {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

let azurite: EmbeddedAzurite | undefined;

/** One in-memory Azurite for the whole run, on ports the OS picks. */
export async function setup(project: TestProject): Promise<void> {
  azurite = await startAzurite();
  project.provide("storageConnectionString", azurite.connectionString);
}

export async function teardown(): Promise<void> {
  await azurite?.stop();
}
