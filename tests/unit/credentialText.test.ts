import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newId } from "../../shared/domain/ids";
import { newCredential, parseCredential } from "../../shared/security/tokens";

const id = (kind: Parameters<typeof newId>[0]) => newId(kind, new Date(), randomBytes);

describe("a credential's text", () => {
  it("names a registration key's own id once: rk_<id>, never rk_rk_", () => {
    const keyId = id("registrationKey");
    const credential = newCredential("rk", keyId);
    expect(credential.text.startsWith("rk_rk_")).toBe(false);
    expect(credential.text).toBe(`${keyId}.${credential.secret}`);
    expect(parseCredential(credential.text, "rk")).toEqual({ id: keyId, secret: credential.secret });
  });

  it("names an operator key's own id once: ok_<id>", () => {
    const keyId = id("operatorKey");
    const credential = newCredential("ok", keyId);
    expect(credential.text).toMatch(/^ok_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/);
    expect(parseCredential(credential.text, "ok")).toEqual({ id: keyId, secret: credential.secret });
  });

  it("keeps the kind before an id of another kind: ak_mch_..., pp_apl_...", () => {
    const machineId = id("machine");
    const agentKey = newCredential("ak", machineId);
    expect(agentKey.text).toBe(`ak_${machineId}.${agentKey.secret}`);
    expect(parseCredential(agentKey.text, "ak")).toEqual({ id: machineId, secret: agentKey.secret });
    const applianceId = id("appliance");
    const passphrase = newCredential("pp", applianceId);
    expect(passphrase.text).toBe(`pp_${applianceId}.${passphrase.secret}`);
    expect(parseCredential(passphrase.text, "pp")?.id).toBe(applianceId);
  });

  it("still reads a registration key handed out in the doubled form before", () => {
    const keyId = id("registrationKey");
    const secret = randomBytes(32).toString("base64url");
    expect(parseCredential(`rk_${keyId}.${secret}`, "rk")).toEqual({ id: keyId, secret });
  });

  it("is refused when it is of another kind", () => {
    const credential = newCredential("rk", id("registrationKey"));
    expect(parseCredential(credential.text, "ok")).toBeUndefined();
    expect(parseCredential(credential.text.replace(/^rk_/, "ak_"), "rk")).toBeUndefined();
  });
});
