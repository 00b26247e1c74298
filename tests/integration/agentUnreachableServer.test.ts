// When the agent gets no answer from Ferry it names the URL and the likely cause, from the real
// errors Node gives: a closed port, an unknown name, an untrusted certificate, the wrong scheme, silence.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { generate } from "selfsigned";
import { afterAll, describe, expect, it } from "vitest";
import { callJson } from "../../agent/signedClient";
import { describeUnreachable, ServerUnreachableError } from "../../agent/unreachable";
import { diskImages, passphraseFile, removeTempDirs, runAgentCli, tempDir } from "../support/agentCli";

const servers: net.Server[] = [];

afterAll(async () => {
  for (const server of servers) server.close();
  removeTempDirs();
});

async function listening<T extends net.Server>(server: T): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: one the OS just gave out and took back. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  const address = await listening(server);
  await new Promise((resolve) => server.close(resolve));
  return address;
}

async function unreachable(server: string): Promise<string> {
  try {
    await callJson(server, "POST", "agent/register", {});
  } catch (error) {
    expect(error).toBeInstanceOf(ServerUnreachableError);
    return (error as Error).message;
  }
  throw new Error(`${server} answered`);
}

describe("an unreachable server", () => {
  it("register names the URL and asks whether Ferry runs there when the port is closed, writing nothing", async () => {
    const dir = tempDir();
    const address = await closedPort();
    const stateDir = path.join(dir, "state");
    const [disk] = diskImages(dir, [1024 * 1024]);
    const run = await runAgentCli([
      "register",
      "--server",
      `http://${address}`,
      "--passphrase-file",
      passphraseFile(dir, "p"),
      "--state-dir",
      stateDir,
      "--disk",
      disk!,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Cannot reach Ferry at http://${address}/api/agent/register: the connection was refused (ECONNREFUSED). ` +
        `Is Ferry running at http://${address}, on that port?`,
    );
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it("says a name did not resolve", async () => {
    expect(await unreachable("http://ferry-appliance.invalid:7071/api")).toMatch(
      /^Cannot reach Ferry at http:\/\/ferry-appliance\.invalid:7071\/api\/agent\/register: the name ferry-appliance\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check the address and this machine's DNS\.$/,
    );
  });

  it("says the certificate is not trusted, and how to trust it", async () => {
    const pems = await generate([{ name: "commonName", value: "appliance" }], { keyType: "ec", curve: "P-256" });
    const address = await listening(https.createServer({ key: pems.private, cert: pems.cert }));
    const message = await unreachable(`https://${address}/api`);
    expect(message).toContain(
      `Cannot reach Ferry at https://${address}/api/agent/register: the TLS handshake failed (`,
    );
    expect(message).toMatch(/\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN): /);
    expect(message).toContain("NODE_EXTRA_CA_CERTS");
  });

  it("asks about the scheme when https:// meets a plain HTTP server", async () => {
    const address = await listening(http.createServer((_, res) => res.end("{}")));
    expect(await unreachable(`https://${address}/api`)).toMatch(
      /the TLS handshake failed \(ERR_SSL_[A-Z_]+\)\. Does the server speak the scheme given \(http:\/\/ or https:\/\/\)\?$/,
    );
  });

  it("says nothing answered in time when the server accepts and stays silent", async () => {
    const address = await listening(net.createServer(() => undefined));
    const url = new URL(`http://${address}/api/agent/register`);
    const error = await fetch(url, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(describeUnreachable(url, error, 300)).toBe(
      `Cannot reach Ferry at ${url.href}: no answer within 300 ms (TimeoutError). ` +
        "A firewall may drop the traffic, or the server is overloaded.",
    );
  });

  it("says the connection was cut when the server closes it without answering", async () => {
    const address = await listening(net.createServer((socket) => socket.destroy()));
    expect(await unreachable(`http://${address}/api`)).toMatch(
      /the connection was closed before an answer \((ECONNRESET|UND_ERR_SOCKET)\)\. A proxy or firewall/,
    );
  });
});
