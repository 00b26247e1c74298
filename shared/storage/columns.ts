/**
 * The JSON columns of table rows: one codec per column, whose schema is the one description of
 * what the column holds. Every read goes through `parse`, every write through `serialize`.
 */
import * as z from "zod";
import { agentProblemCodes } from "../domain/agentProblems";
import { jobOperations } from "../domain/jobTasks";
import type { PrintRecord } from "../domain/machinePrints";
import { jobStates, taskStates, type Job } from "../domain/jobs";
import type { PlanGroup } from "../domain/recoveryPlans";
import { diskTypes } from "../domain/targetDisks";
import { tableNames } from "./stores";

export interface JsonColumn<T> {
  /** The stored text as its value; a value that is not JSON or breaks the schema throws (a 500, never a 4xx). */
  parse(text: string): T;
  serialize(value: T): string;
}

/** The codec of `table.column`; its errors name both, so a broken row is found from the log. */
export function jsonColumn<T>(table: string, column: string, schema: z.ZodType<T>): JsonColumn<T> {
  const broken = (why: string) => new Error(`Table ${table}, column ${column}: the stored value ${why}`);
  return {
    parse(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw broken("is not JSON.");
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw broken(`does not match its schema: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    },
    serialize: (value) => JSON.stringify(value),
  };
}

/** A and B name the same fields at every depth (parsing drops a field its schema does not name). */
type SameFields<A, B> = A extends readonly (infer I)[]
  ? B extends readonly (infer J)[]
    ? SameFields<I, J>
    : false
  : A extends object
    ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
      ? { [K in keyof A & keyof B]-?: SameFields<NonNullable<A[K]>, NonNullable<B[K]>> }[keyof A & keyof B]
      : false
    : true;

/** A schema for a type declared elsewhere: it compiles only when both agree, field for field. */
export function describing<T>() {
  return <S extends z.ZodType<T>>(
    schema: S & ([T] extends [z.infer<S>] ? ([SameFields<T, z.infer<S>>] extends [true] ? unknown : never) : never),
  ): z.ZodType<T> => schema;
}

const count = z.int().min(0);

// FerryMachines: what the agent reported at registration.
const machineDisk = z.object({ id: z.string(), sizeBytes: count, isBoot: z.boolean() });
const machineNic = z.object({ mac: z.string(), ip: z.string().optional() });

// FerryAgents: the machine fingerprints heard with an agent's key (see domain/machinePrints.ts).
const machinePrint = z.object({ host: z.string(), id: z.string().optional(), boot: z.string().optional() }).readonly();
const printRecord = describing<PrintRecord>()(
  z
    .object({
      machine: machinePrint,
      earlierBoots: z.array(z.string()).readonly(),
      heldUntil: z.string().optional(),
      clone: z.object({ print: machinePrint, firstSeenAt: z.string(), lastSeenAt: z.string() }).readonly().optional(),
    })
    .readonly(),
);

// FerryItems: the resolved target, each disk's choice and figures, the agent's last report.
const itemTarget = z.object({
  resourceGroup: z.string(),
  network: z.string(),
  subnet: z.string(),
  vmName: z.string().optional(),
  /** A real size name ("auto" is resolved before it is stored). */
  vmSize: z.string(),
  osDiskId: z.string().optional(),
  availabilitySet: z.string().optional(),
  hybridBenefit: z.boolean().optional(),
});
export type ItemTarget = z.infer<typeof itemTarget>;

const itemDisk = z.object({
  diskId: z.string(),
  sizeBytes: count,
  isBoot: z.boolean(),
  include: z.boolean(),
  diskType: z.enum(diskTypes),
  bytesReplicated: count,
  uploadBytesPerSecond: z.number().min(0),
  /** Source change rate between the last two delta points. */
  churnBytesPerSecond: z.number().min(0).optional(),
  /** bytesReplicated when the last point was made: the baseline of the next churn figure. */
  bytesAtLastPoint: count.optional(),
});
export type ItemDisk = z.infer<typeof itemDisk>;

/** The heartbeat as the agent sent it, less its resync reports (older rows hold those too; they are dropped). */
const agentReport = z.object({
  figures: z.object({ bytesSent: count, bytesPerSecond: z.number().min(0), backlogBytes: count }).optional(),
  disks: z.array(z.object({ diskId: z.string(), bytesScanned: count, bytesSent: count })).optional(),
});
export type AgentReport = z.infer<typeof agentReport>;

/** The problems the agent's last heartbeat reported on its own machine (absent column: none). */
const agentProblem = z.object({
  code: z.enum(agentProblemCodes),
  message: z.string(),
  since: z.string(),
  replicationStopped: z.boolean(),
});

/** A copy of the machine heard using its agent's key: its host name and when (shown as AgentCloned). */
const agentClone = z.object({ host: z.string(), seenAt: z.string() });

// FerryJobs: the domain Job whole.
const jobError = z.object({ code: z.string(), message: z.string(), recommendedAction: z.string().optional() });
const jobTask = z.object({
  name: z.string(),
  state: z.enum(taskStates),
  startTime: z.string().optional(),
  endTime: z.string().optional(),
  progress: z.number().optional(),
  note: z.string().optional(),
  errors: z.array(jobError).readonly(),
  kind: z.enum(["Group", "Item", "Action"]).optional(),
  itemId: z.string().optional(),
  jobId: z.string().optional(),
  instructions: z.string().optional(),
  comment: z.string().optional(),
});
const job = describing<Job>()(
  z.object({
    id: z.string(),
    operation: z.enum(jobOperations),
    displayName: z.string(),
    itemId: z.string().optional(),
    state: z.enum(jobStates),
    createTime: z.string(),
    startTime: z.string().optional(),
    endTime: z.string().optional(),
    tasks: z.array(jobTask).readonly(),
    errors: z.array(jobError).readonly(),
    warnings: z.array(z.string()).readonly(),
    result: z.record(z.string(), z.unknown()).optional(),
    parameters: z.record(z.string(), z.string()).optional(),
    cancelRequestedTime: z.string().optional(),
  }),
);

// FerryDiskCursors: kept answers, staged batches, points cut ahead of apply.
/** The answer a sequence got, kept so a resent batch gets it again. `body` is the signed body digest. */
const ackEntry = z.object({ s: count, sha: z.string(), body: z.string() });
export type AckEntry = z.infer<typeof ackEntry>;

/**
 * An acknowledged batch waiting to be applied: its staged blob's name, the bytes it covers and when
 * it was acknowledged (ISO 8601; absent on rows written before it was kept), for apply's lag.
 */
const pendingEntry = z.object({ s: count, blob: z.string(), covered: count, at: z.string().optional() });
export type PendingEntry = z.infer<typeof pendingEntry>;

/** A recovery point cut at batch `s` before the batch was applied (see `replication/points/pointMarks.ts`). */
const pointMark = z.object({
  /** The batch sequence the point holds. */
  s: count,
  point: z.string(),
  /**
   * When the mark was made, its snapshot taken, or a resent cycle found it (ISO 8601): a resolved
   * mark whose point never appears is dropped 15 minutes after.
   */
  at: z.string(),
  /** Set once apply took it, while the point row is not there yet. */
  snapshot: z.string().optional(),
});
export type PointMark = z.infer<typeof pointMark>;

// FerryRecoveryPoints: one snapshot per disk (or the sequence apply takes it at), and the pins.
const pointDisk = z.object({
  diskId: z.string(),
  sizeBytes: count,
  /** The replica snapshot holding the disk at the point; absent until apply reaches `sequence`. */
  snapshot: z.string().optional(),
  /** Deferred disks: the last batch (of `epoch`) the point holds. */
  sequence: count.optional(),
  epoch: count.optional(),
});
export type PointDisk = z.infer<typeof pointDisk>;

// FerryRecoveryPlans: the ordered groups, their items and actions.
const planActionCommon = { name: z.string(), continueOnError: z.boolean().optional() };
const planAction = z.discriminatedUnion("kind", [
  z.object({ ...planActionCommon, kind: z.literal("Manual"), instructions: z.string() }).readonly(),
  z
    .object({ ...planActionCommon, kind: z.literal("Webhook"), url: z.string(), timeoutSeconds: z.number().optional() })
    .readonly(),
]);
const planGroup: z.ZodType<PlanGroup> = z
  .object({
    name: z.string(),
    items: z.array(z.string()).readonly(),
    preActions: z.array(planAction).readonly(),
    postActions: z.array(planAction).readonly(),
  })
  .readonly();

export const columns = {
  machineDisks: jsonColumn(tableNames.machines, "disks", z.array(machineDisk)),
  machineNics: jsonColumn(tableNames.machines, "nics", z.array(machineNic)),
  itemTarget: jsonColumn(tableNames.items, "target", itemTarget),
  itemDisks: jsonColumn(tableNames.items, "disks", z.array(itemDisk)),
  itemAgentFigures: jsonColumn(tableNames.items, "agentFigures", agentReport),
  itemAgentProblems: jsonColumn(tableNames.items, "agentProblems", z.array(agentProblem)),
  itemAgentClone: jsonColumn(tableNames.items, "agentClone", agentClone),
  agentPrint: jsonColumn(tableNames.agents, "print", printRecord),
  jobBody: jsonColumn(tableNames.jobs, "body", job),
  cursorAcks: jsonColumn(tableNames.diskCursors, "acks", z.array(ackEntry)),
  cursorPending: jsonColumn(tableNames.diskCursors, "pending", z.array(pendingEntry)),
  cursorMarks: jsonColumn(tableNames.diskCursors, "marks", z.array(pointMark)),
  pointDisks: jsonColumn(tableNames.recoveryPoints, "disks", z.array(pointDisk)),
  pointPins: jsonColumn(tableNames.recoveryPoints, "pins", z.array(z.string()).readonly()),
  planGroups: jsonColumn(tableNames.recoveryPlans, "groups", z.array(planGroup).readonly()),
} as const;
