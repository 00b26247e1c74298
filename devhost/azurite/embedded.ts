import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface AzuriteEndpoints {
  blob: string;
  queue: string;
  table: string;
}

export interface EmbeddedAzurite {
  endpoints: AzuriteEndpoints;
  connectionString: string;
  process: ChildProcess;
  /** SIGTERM, so Azurite saves its metadata, then waits for exit. */
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder for Azurite's data; omitted means in-memory. */
  location?: string;
  ports?: Partial<Record<keyof AzuriteEndpoints, number>>;
  host?: string;
}

export const devAccount = "devstoreaccount1";
export const devAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export function connectionStringFor(endpoints: AzuriteEndpoints): string {
  return (
    [
      "DefaultEndpointsProtocol=http",
      `AccountName=${devAccount}`,
      `AccountKey=${devAccountKey}`,
      `BlobEndpoint=${endpoints.blob}/${devAccount}`,
      `QueueEndpoint=${endpoints.queue}/${devAccount}`,
      `TableEndpoint=${endpoints.table}/${devAccount}`,
    ].join(";") + ";"
  );
}

/**
 * Runs Azurite's own main after a watch on its stdin, a pipe only this process holds: when the pipe
 * closes (this process ended, by SIGKILL too) Azurite stops as on SIGTERM, saving its data, instead
 * of running on, orphaned, over the same files. Its output to a parent that is gone is dropped.
 */
const dieWithParent = [
  "const stop = () => process.kill(process.pid, 'SIGTERM');",
  "process.stdin.on('end', stop).on('error', stop).resume();",
  "process.stdin.unref();",
  "for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);",
  "require(process.argv[1]);",
].join("\n");

function azuriteMain(): string {
  return path.join(path.dirname(require.resolve("azurite/package.json")), "dist", "src", "azurite.js");
}

/**
 * Starts Azurite from the npm package on loopback. Port 0 lets the OS pick free ports;
 * the ports actually used are read from Azurite's own start-up lines.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const host = options.host ?? "127.0.0.1";
  // Azurite's main where a script would be, so it reads its options from argv as usual.
  const args = [
    azuriteMain(),
    "--blobHost",
    host,
    "--queueHost",
    host,
    "--tableHost",
    host,
    "--blobPort",
    String(options.ports?.blob ?? 0),
    "--queuePort",
    String(options.ports?.queue ?? 0),
    "--tablePort",
    String(options.ports?.table ?? 0),
    "--skipApiVersionCheck",
    "--loose",
    "--disableTelemetry",
    // No access log: nothing reads it, and formatting a line per request costs Azurite about a tenth of its CPU.
    "--silent",
  ];
  if (options.location) {
    fs.mkdirSync(options.location, { recursive: true });
    args.push("--location", options.location);
  } else args.push("--inMemoryPersistence");
  // Its own process group: a Ctrl-C meant for the host must not stop Azurite before the host is done with it.
  const child = spawn(process.execPath, ["-e", dieWithParent, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  const endpoints = await readEndpoints(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    endpoints,
    connectionString: connectionStringFor(endpoints),
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function readEndpoints(child: ChildProcess): Promise<AzuriteEndpoints> {
  return new Promise((resolve, reject) => {
    const found: Partial<AzuriteEndpoints> = {};
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/g,
      )) {
        found[m[1].toLowerCase() as keyof AzuriteEndpoints] = m[2];
      }
      if (found.blob && found.queue && found.table) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(found as AzuriteEndpoints);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.once("exit", (code) => reject(new Error(`Azurite exited (${code}) before listening:\n${output}`)));
  });
}
