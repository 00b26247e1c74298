import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { downloadSigningKey, readDownloadToken, signDownloadToken } from "../../shared/security/downloadTokens";

const key = downloadSigningKey(randomBytes(32));
const claim = {
  projectId: "prj_01hq3v4x5y6z7a8b9c0d1e2f3g",
  vmId: "vm_01hq3v4x5y6z7a8b9c0d1e2f3g",
  diskId: "disk0",
  expiresAt: new Date("2026-03-01T12:15:00Z"),
};

const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);

describe("disk download tokens", () => {
  it("name one disk of one VM until a time, and prove it with the project's key", () => {
    const token = signDownloadToken(key, claim);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const read = readDownloadToken(token);
    expect(read?.claim).toEqual(claim);
    expect(read?.signedWith(key)).toBe(true);
  });

  it("differ each time they are minted, so one link never gives away another", () => {
    expect(signDownloadToken(key, claim)).not.toBe(signDownloadToken(key, claim));
  });

  it("are refused when signed by another project's key, or with any byte of claim or signature changed", () => {
    const token = signDownloadToken(key, claim);
    expect(readDownloadToken(token)?.signedWith(downloadSigningKey(randomBytes(32)))).toBe(false);
    expect(readDownloadToken(flip(token, token.length - 5))?.signedWith(key)).toBe(false);
    const [payload, signature] = token.split(".") as [string, string];
    const widened = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), d: "disk1" }),
    ).toString("base64url");
    expect(readDownloadToken(`${widened}.${signature}`)?.signedWith(key)).toBe(false);
  });

  it("are not tokens when malformed: no signature, not JSON, or missing what they open", () => {
    expect(readDownloadToken("")).toBeUndefined();
    expect(readDownloadToken("abc")).toBeUndefined();
    expect(readDownloadToken(`${Buffer.from("null").toString("base64url")}.${"A".repeat(43)}`)).toBeUndefined();
    expect(readDownloadToken(`${Buffer.from('{"p":"x"}').toString("base64url")}.${"A".repeat(43)}`)).toBeUndefined();
    expect(readDownloadToken(`not-json.${"A".repeat(43)}`)).toBeUndefined();
  });
});
