/**
 * The agent's data-path protocol (docs/data-path.md), shared by the agent's `run` loop and the
 * process server. All requests are signed by the agent (DESIGN §6).
 *
 *   POST /agent/machines/{m}/heartbeat                                 HeartbeatRequest → HeartbeatResponse
 *   PUT  /agent/machines/{m}/items/{i}/disks/{d}/batches/{epoch}/{seq}  change batch (octet-stream) → BatchAck
 *   POST /agent/machines/{m}/items/{i}/cycles                          CycleRequest → CycleResponse
 */
import * as z from "zod";
import { agentActions, diskModes } from "../domain/agentInstructions";
import { agentProblemCodes } from "../domain/agentProblems";
import { recoveryPointTypes } from "../domain/recoveryPoints";
import { diskIdSchema, idSchema, named, timeSchema } from "./common";

const bytes = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const rate = z.number().min(0).max(1e12);
const sequence = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const heartbeatRequest = named(
  "HeartbeatRequest",
  z.strictObject({
    figures: z.strictObject({ bytesSent: bytes, bytesPerSecond: rate, backlogBytes: bytes }),
    disks: z
      .array(z.strictObject({ diskId: diskIdSchema, bytesScanned: bytes, bytesSent: bytes }))
      .max(64)
      .optional(),
    /**
     * Disks whose replication state the agent lost or distrusts (journal missing or unreadable,
     * digest map of another epoch, server behind the journal); `since` identifies the doubt, so
     * a report the server already acted on does not start another resync.
     */
    resyncNeeded: z
      .array(z.strictObject({ diskId: diskIdSchema, reason: z.string().min(1).max(500), since: timeSchema }))
      .max(64)
      .optional(),
    /**
     * Problems on the agent's own machine, reported in every heartbeat while they last (one left
     * out is over); each is a health error of the item, Critical when replication stopped.
     */
    problems: z
      .array(
        z.strictObject({
          code: z.enum(agentProblemCodes),
          message: z.string().min(1).max(500),
          since: timeSchema,
          replicationStopped: z.boolean(),
        }),
      )
      .max(8)
      .optional(),
  }),
);
export type HeartbeatRequest = z.infer<typeof heartbeatRequest>;

export const diskInstructionSchema = named(
  "DiskInstruction",
  z.object({
    diskId: diskIdSchema,
    sizeBytes: bytes,
    /** The sequence the next batch for this disk must carry (sequences start at 1 in each epoch). */
    nextSequence: sequence,
    /** Initial: copy every block; Delta: send changes; Resync: re-read everything and send what differs. */
    mode: z.enum(diskModes),
  }),
);
export type DiskInstruction = z.infer<typeof diskInstructionSchema>;

export const heartbeatResponse = named(
  "HeartbeatResponse",
  z.object({
    instructions: z.object({
      action: z.enum(agentActions),
      itemId: idSchema("item").optional(),
      epoch: sequence.optional(),
      cycleIntervalSeconds: z.int().min(1),
      /** 0 means off. */
      appConsistentIntervalSeconds: z.int().min(0),
      throttleBytesPerSecond: z.int().min(1).optional(),
      /** Identifies the running resync: a different id means a new resync, which starts the re-read over. */
      resyncId: z.string().min(1).max(64).optional(),
      /** Included disks only. */
      disks: z.array(diskInstructionSchema),
    }),
  }),
);
export type HeartbeatResponse = z.infer<typeof heartbeatResponse>;

export const batchAck = named(
  "BatchAck",
  z.object({
    sequence,
    /** The batch trailer's SHA-256 (hex): a resent batch carries the same. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** True when this sequence had already been acknowledged: nothing was applied again. */
    duplicate: z.boolean(),
  }),
  "Sent only once the batch is durable.",
);
export type BatchAck = z.infer<typeof batchAck>;

export const cycleRequest = named(
  "CycleRequest",
  z.strictObject({
    /** The agent's id for the cycle; a resent cycle with the same id gets the same point. */
    cycleId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/),
    /** When the source was in the state the point holds. */
    sourceTime: timeSchema,
    type: z.enum(recoveryPointTypes),
    /**
     * Per disk, the last acknowledged sequence of the cycle (0 when none was ever sent);
     * unlisted disks keep their state.
     */
    disks: z.array(z.strictObject({ diskId: diskIdSchema, sequence })).max(64),
    initialCopyComplete: z.boolean().optional(),
    /** The resync (instructions' resyncId) whose re-read this cycle completes; a stale one completes nothing. */
    resyncId: z.string().min(1).max(64).optional(),
    /** The final cycle of a planned migration. */
    final: z.boolean().optional(),
  }),
);
export type CycleRequest = z.infer<typeof cycleRequest>;

export const cycleResponse = named("CycleResponse", z.object({ recoveryPointId: idSchema("recoveryPoint") }));
export type CycleResponse = z.infer<typeof cycleResponse>;

/** The path of a batch, for the agent's uploader and the server's route. */
export function batchPath(machineId: string, itemId: string, diskId: string, epoch: number, seq: number): string {
  return `/agent/machines/${machineId}/items/${itemId}/disks/${encodeURIComponent(diskId)}/batches/${epoch}/${seq}`;
}
