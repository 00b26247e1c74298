// Threat: a project operator key's secret leaking after it was handed out once. Keys of every role
// are made, used, refused (a Reader's change, a wrong secret) and listed; then every table row, the
// host's log, every error body and every answer but the one that created each key is searched
// for the real secret strings. The answer that created a key does hold it: the search can find it.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { secretPart, setUpProject, startFerry, type ApiReply, type RunningFerry } from "../support/ferryApi";
import { createKey, type CreatedKey } from "../support/operatorRoutes";
import { refusal, wrongSecret } from "../support/refusals";
import { findLeaks, storedTexts, type Place } from "../support/secretScan";

const storage = inject("storageConnectionString");
let ferry: RunningFerry;
const answers: Place[] = [];

beforeAll(async () => {
  ferry = await startFerry(storage);
});
afterAll(async () => {
  await ferry?.stop();
});

/** Keeps every answer's body, to be searched. */
async function kept<T>(what: string, reply: Promise<ApiReply<T>>): Promise<ApiReply<T>> {
  const got = await reply;
  answers.push({ where: `answer to ${what} (${got.status})`, text: got.text });
  return got;
}

describe("a project operator key's secret", () => {
  it("is in no table row, host log line, error body or answer but the one that created it", async () => {
    const api = ferry.api;
    const { projectId } = await setUpProject(api);
    const keys: CreatedKey[] = [];
    for (const role of ["Reader", "Contributor", "Owner"] as const) keys.push(await createKey(api, projectId, role));
    const secrets = Object.fromEntries(keys.map((k) => [`${k.role} key`, secretPart(k.key)]));
    expect(findLeaks([{ where: "creation", text: JSON.stringify(keys) }], secrets)).toHaveLength(keys.length);

    for (const key of keys) {
      const authorization = `Bearer ${key.key}`;
      await kept(`${key.role}: whoami`, api.get("/whoami", { authorization }));
      await kept(`${key.role}: projects`, api.get("/projects", { authorization }));
      await kept(`${key.role}: keys`, api.get(`/projects/${projectId}/operator-keys`, { authorization }));
      const wrong = await kept(
        `${key.role}: wrong secret`,
        api.get("/projects", { authorization: wrongSecret(authorization) }),
      );
      expect(refusal(wrong)).toEqual([401, "Unauthorized"]);
    }
    const reader = `Bearer ${keys[0]!.key}`;
    const forbidden = await kept(
      "Reader: a change",
      api.post(`/projects/${projectId}/policies`, { name: "by-reader" }, { authorization: reader }),
    );
    expect(refusal(forbidden)).toEqual([403, "Forbidden"]);
    await kept("administrator: keys", api.get(`/projects/${projectId}/operator-keys`));

    const places = [
      ...(await storedTexts(storage)),
      { where: "host output", text: ferry.host.output() },
      ...api.errorTexts.map((text, i) => ({ where: `error body ${i}`, text })),
      ...answers,
    ];
    expect(findLeaks(places, secrets)).toEqual([]);
  });
});
