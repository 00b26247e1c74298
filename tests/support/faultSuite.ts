// What a file of fault scenarios shares: one rig for the file, and sources enrolled through it,
// each disposed after its scenario.
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { FaultRig } from "./faultRig";
import { FaultSource } from "./faultSource";

export class FaultSuite {
  private started: FaultRig | undefined;
  private readonly sources: FaultSource[] = [];

  /** Registers the file's hooks: the rig started before its first scenario, stopped after its last. */
  static use(start: () => Promise<FaultRig> = () => FaultRig.start({ storage: inject("storageConnectionString") })) {
    const suite = new FaultSuite();
    beforeAll(async () => {
      suite.started = await start();
    });
    afterEach(async () => {
      for (const source of suite.sources.splice(0)) await source.dispose();
    });
    afterAll(async () => {
      await suite.started?.stop();
    });
    return suite;
  }

  get rig(): FaultRig {
    if (!this.started) throw new Error("The fault rig is started before the file's first scenario.");
    return this.started;
  }

  /** A source enrolled through the rig, its first copy done. */
  async seededSource(): Promise<FaultSource> {
    const source = await FaultSource.enroll(this.rig);
    this.sources.push(source);
    await source.seeded();
    return source;
  }
}
