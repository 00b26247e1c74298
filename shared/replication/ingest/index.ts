/**
 * Ingest, the one entry to it: a change batch as the agent PUTs it (`ingestBatch`: admitted,
 * staged in the cache or seeded straight to the replica, acknowledged) and the agent's heartbeat
 * (`heartbeat`: its reports recorded, its instructions answered).
 */
export { ingestBatch } from "./ingestBatch";
export { heartbeat } from "./heartbeat";
