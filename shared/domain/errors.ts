/**
 * The one error catalog. Every error that reaches a caller is a `FerryError` made by one
 * factory below: a stable wire `code`, the HTTP status, a message safe to show (never a
 * secret), an optional `target` (the field or resource at fault) and optional details.
 */
export class FerryError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly target?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "FerryError";
  }
}

export const errors = {
  invalidInput: (message: string, target?: string) => new FerryError("InvalidInput", 400, message, target),
  invalidFields: (issues: ReadonlyArray<{ target: string; message: string }>) =>
    new FerryError(
      "InvalidInput",
      400,
      issues.length > 1
        ? `${issues[0]?.message} (and ${issues.length - 1} more problem(s); see details)`
        : (issues[0]?.message ?? "The request body is invalid."),
      issues[0]?.target,
      { details: issues.map((issue) => ({ code: "InvalidInput", message: issue.message, target: issue.target })) },
    ),
  invalidJson: () => new FerryError("InvalidJson", 400, "The request body is not valid JSON."),
  unauthorized: (message = "A valid operator key is required: send 'Authorization: Bearer <key>'.") =>
    new FerryError("Unauthorized", 401, message),
  invalidSignature: (message: string) => new FerryError("InvalidSignature", 401, message),
  operatorKeyExpired: () =>
    new FerryError(
      "OperatorKeyExpired",
      401,
      "The operator key has expired; ask an Owner of the project for a new one.",
    ),
  identityProviderUnavailable: () =>
    new FerryError(
      "IdentityProviderUnavailable",
      503,
      "The Entra ID signing keys could not be fetched to check the token; try again shortly.",
    ),
  forbidden: (message: string) => new FerryError("Forbidden", 403, message),
  notFound: (kind: string, id: string) => new FerryError("NotFound", 404, `${kind} '${id}' was not found.`, kind),
  routeNotFound: (path: string) => new FerryError("NotFound", 404, `Nothing is served at ${path}.`),
  conflict: (message: string, target?: string) => new FerryError("Conflict", 409, message, target),
  alreadyExists: (kind: string, id: string) =>
    new FerryError("AlreadyExists", 409, `${kind} '${id}' already exists.`, kind),
  operationNotAllowed: (operation: string, reason: string) =>
    new FerryError("OperationNotAllowed", 409, `${operation} is not allowed now: ${reason}`, operation),
  operationInProgress: (jobId: string, operation: string) =>
    new FerryError(
      "OperationInProgress",
      409,
      `${operation} cannot start: job ${jobId} is in progress on this item; wait for it to finish.`,
      "job",
      { jobId },
    ),
  // Recovery plans: the items or estimates at fault are listed in the error's details.
  planItemsBlocked: (
    operation: string,
    items: ReadonlyArray<{ itemId: string; name: string; reason: string; jobId?: string }>,
  ) =>
    new FerryError(
      "OperationNotAllowed",
      409,
      `${operation} is not allowed now: ${items.length} item(s) cannot take part ` +
        `(${items.map((item) => `${item.name}: ${item.reason}`).join("; ")}).`,
      operation,
      {
        items,
        details: items.map((item) => ({
          code: "ItemBlocked",
          message: `${item.name}: ${item.reason}`,
          target: item.itemId,
        })),
      },
    ),
  downtimeBudgetExceeded: (
    maxDowntimeSeconds: number,
    items: ReadonlyArray<{ itemId: string; name: string; estimatedFinalSyncSeconds: number | null }>,
  ) =>
    new FerryError(
      "DowntimeBudgetExceeded",
      409,
      `The final synchronization of ${items.length} item(s) is estimated over the ${maxDowntimeSeconds} s budget ` +
        `(${items.map((i) => `${i.name}: ${i.estimatedFinalSyncSeconds ?? "no estimate yet"}`).join("; ")}); ` +
        "no source was touched. Let replication catch up, or raise maxDowntimeSeconds.",
      "maxDowntimeSeconds",
      {
        maxDowntimeSeconds,
        items,
        details: items.map((item) => ({
          code: "FinalSyncOverBudget",
          message: `${item.name}: ${item.estimatedFinalSyncSeconds ?? "no estimate yet"} s`,
          target: item.itemId,
        })),
      },
    ),
  webhookNotAllowed: (target: string, reason: string) =>
    new FerryError("WebhookNotAllowed", 400, `The webhook URL is refused: ${reason}.`, target),
  noMatchingVmSize: (message: string) => new FerryError("NoMatchingVmSize", 400, message, "target.vmSize"),
  noRecoveryPoint: (message: string) => new FerryError("NoRecoveryPoint", 409, message, "recoveryPoint"),
  invalidStateTransition: (event: string, state: string) =>
    new FerryError(
      "InvalidStateTransition",
      409,
      `'${event}' does not apply to an item in state ${state}.`,
      "migrationState",
    ),
  invalidDownloadLink: () =>
    new FerryError("InvalidDownloadLink", 403, "The download link is not valid; ask for a new one.", "token"),
  downloadLinkExpired: () =>
    new FerryError(
      "DownloadLinkExpired",
      403,
      "The download link has expired (links last 15 minutes); ask for a new one.",
      "token",
    ),
  preconditionFailed: (message: string) => new FerryError("PreconditionFailed", 412, message),
  payloadTooLarge: (limit: number) =>
    new FerryError("PayloadTooLarge", 413, `The request body exceeds ${limit} bytes.`),
  requestAborted: () =>
    new FerryError(
      "RequestAborted",
      400,
      "The request body ended before it was complete: the connection closed, or the body went over the host's limit.",
    ),
  unsupportedMediaType: (expected: string) =>
    new FerryError("UnsupportedMediaType", 415, `Send the body as ${expected}.`),
  rangeNotSatisfiable: (size: number) =>
    new FerryError("RangeNotSatisfiable", 416, `The range is outside the resource (${size} bytes).`),
  tooManyRequests: (retryAfterSeconds: number) =>
    new FerryError("TooManyRequests", 429, `Too many requests; retry after ${retryAfterSeconds} s.`, undefined, {
      retryAfterSeconds,
    }),
  portalNotBuilt: () => new FerryError("PortalNotBuilt", 503, "The portal has not been built: run npm run build."),
  storageUnavailable: (message: string) => new FerryError("StorageUnavailable", 503, message),
  invalidRegistrationKey: () =>
    new FerryError("InvalidRegistrationKey", 401, "The registration key is not valid.", "registrationKey"),
  registrationKeyExpired: () =>
    new FerryError(
      "RegistrationKeyExpired",
      401,
      "The registration key has expired; generate a new one (keys are valid 5 days).",
      "registrationKey",
    ),
  registrationKeyUsed: () =>
    new FerryError(
      "RegistrationKeyUsed",
      401,
      "The registration key has already been used; generate a new one.",
      "registrationKey",
    ),
  invalidPassphrase: () =>
    new FerryError("InvalidPassphrase", 401, "The passphrase is not valid (it may have been rotated).", "passphrase"),
  applianceNotFinalized: (applianceId: string) =>
    new FerryError(
      "ApplianceNotFinalized",
      409,
      `Appliance '${applianceId}' is registered but not finalized; finalize it before registering agents.`,
      "appliance",
    ),
  machineIdentityConflict: (machineId: string) =>
    new FerryError(
      "MachineIdentityConflict",
      409,
      `A machine with this identity is already registered as '${machineId}'. ` +
        "Re-register from that agent's state directory, or remove the old machine if it was rebuilt.",
      "machine",
    ),
  agentCloned: (machineId: string, host: string) =>
    new FerryError(
      "AgentCloned",
      409,
      `This agent's key belongs to machine '${machineId}', and this request comes from another machine ` +
        `(host '${host.slice(0, 64)}'): a copy of it, such as a cloned VM or a copied state directory. ` +
        "Stop the agent here and delete its state directory; register this machine anew if it should replicate too.",
      "agent",
    ),
  newBootWaiting: (retryAfterSeconds: number) =>
    new FerryError(
      "TooManyRequests",
      429,
      `This machine's agent is heard from a new boot: its requests wait ${retryAfterSeconds} s, so that a copy ` +
        "of the machine still running on the earlier boot would be noticed first.",
      undefined,
      { retryAfterSeconds },
    ),
  agentRetired: (reason: "MigrationCompleted" | "ReplicationDisabled") =>
    new FerryError(
      "AgentRetired",
      410,
      reason === "MigrationCompleted"
        ? "This machine's migration is complete: its replication was removed and its agent key revoked. Stop the agent."
        : "Replication of this machine was disabled and its agent key revoked. Stop the agent.",
      "agent",
      { reason },
    ),
  replayedRequest: () =>
    new FerryError("ReplayedRequest", 401, "This signed request was already seen (nonce reused).", "signature"),
  targetRegionLocked: () =>
    new FerryError(
      "TargetRegionLocked",
      409,
      "The target region is fixed once replication resources exist.",
      "targetRegion",
    ),
  // The target (shared/target): checked when replication is enabled, so a failover never finds out first.
  targetPermissionMissing: (resourceGroup: string, missingActions: readonly string[]) =>
    new FerryError(
      "TargetPermissionMissing",
      400,
      `Ferry's identity may not create VMs in resource group '${resourceGroup}': it lacks ` +
        `${missingActions.join(", ")}. Add the group to the deployment's target resource groups ` +
        "(infra/README.md) or choose another one.",
      "target.resourceGroup",
      { resourceGroup, missingActions },
    ),
  targetResourceNotFound: (kind: string, name: string, target: string) =>
    new FerryError("TargetResourceNotFound", 400, `${kind} '${name}' does not exist in the target.`, target, {
      kind,
      name,
    }),
  // Change batches (shared/replication): the agent resends a refused batch only after fixing its cause.
  batchBadMagic: () =>
    new FerryError("BatchBadMagic", 400, "The body is not a Ferry change batch (bad magic bytes).", "batch"),
  batchUnsupportedVersion: (version: number) =>
    new FerryError(
      "BatchUnsupportedVersion",
      400,
      `Change-batch format version ${version} is not supported.`,
      "batch",
      { version },
    ),
  batchMalformed: (message: string, target = "batch") => new FerryError("BatchMalformed", 400, message, target),
  batchTruncated: (receivedBytes: number) =>
    new FerryError("BatchTruncated", 400, `The change batch ends early, after ${receivedBytes} bytes.`, "batch", {
      receivedBytes,
    }),
  batchChecksumMismatch: (part: "header" | "record" | "trailer", target: string = part) =>
    new FerryError("BatchChecksumMismatch", 400, `The change batch's ${part} checksum does not match.`, target, {
      part,
    }),
  extentChecksumMismatch: (index: number) =>
    new FerryError("ExtentChecksumMismatch", 400, `Extent ${index} does not match its checksum.`, `extents[${index}]`, {
      extentIndex: index,
    }),
  extentTooLarge: (index: number, limit: number) =>
    new FerryError("ExtentTooLarge", 413, `Extent ${index} is longer than ${limit} bytes.`, `extents[${index}]`, {
      extentIndex: index,
      limit,
    }),
  batchTooLarge: (limit: number, unit: "bytes" | "extents") =>
    new FerryError("BatchTooLarge", 413, `The change batch exceeds ${limit} ${unit}.`, "batch", { limit, unit }),
  extentBeyondDisk: (index: number, diskSizeBytes: number) =>
    new FerryError(
      "ExtentBeyondDisk",
      400,
      `Extent ${index} ends beyond the disk (${diskSizeBytes} bytes).`,
      `extents[${index}]`,
      { extentIndex: index, diskSizeBytes },
    ),
  extentsOutOfOrder: (index: number) =>
    new FerryError(
      "ExtentsOutOfOrder",
      400,
      `Extent ${index} starts before the previous one ends; send extents sorted and disjoint.`,
      `extents[${index}]`,
      { extentIndex: index },
    ),
  // The data path (shared/replication): what the process server refuses before anything changes.
  epochMismatch: (expectedEpoch: number) =>
    new FerryError(
      "EpochMismatch",
      409,
      `The batch belongs to another replication epoch; the item is at epoch ${expectedEpoch}. ` +
        "Ask for instructions (heartbeat) and start again from them.",
      "epoch",
      { expectedEpoch },
    ),
  sequenceGap: (expectedSequence: number) =>
    new FerryError(
      "SequenceGap",
      409,
      `Batches must arrive in sequence; the next expected sequence is ${expectedSequence}.`,
      "sequence",
      { expectedSequence },
    ),
  batchConflict: (sequence: number) =>
    new FerryError(
      "BatchConflict",
      409,
      `Batch ${sequence} was already acknowledged with different content.`,
      "sequence",
      { sequence },
    ),
  batchWrongMachine: () =>
    new FerryError(
      "BatchWrongMachine",
      400,
      "The batch header names another machine than the request.",
      "batch.machineId",
    ),
  batchWrongDisk: () =>
    new FerryError("BatchWrongDisk", 400, "The batch header names another disk than the request.", "batch.diskId"),
  batchHeaderMismatch: (field: "epoch" | "sequence") =>
    new FerryError(
      "BatchHeaderMismatch",
      400,
      `The batch header's ${field} differs from the request path.`,
      `batch.${field}`,
    ),
  diskNotReplicated: (diskId: string) =>
    new FerryError("DiskNotReplicated", 409, `Disk '${diskId}' is excluded from replication for this item.`, "diskId"),
  replicationNotActive: (state: string) =>
    new FerryError(
      "ReplicationNotActive",
      409,
      `The item does not accept replication data now (${state}).`,
      "migrationState",
    ),
  invalidSourceTime: (sourceTime: string, latest: string) =>
    new FerryError(
      "InvalidSourceTime",
      400,
      `The cycle's sourceTime ${sourceTime.slice(0, 40)} is later than the server's clock allows (${latest}); ` +
        "check the source server's clock.",
      "sourceTime",
    ),
  cycleSequenceMismatch: (diskId: string, expectedSequence: number) =>
    new FerryError(
      "CycleSequenceMismatch",
      409,
      `The cycle names a sequence for disk '${diskId}' other than its last acknowledged batch (${expectedSequence}).`,
      "disks",
      { diskId, expectedSequence },
    ),
  // Envelope encryption (shared/security): stored data or a wrapped key failed authentication.
  chunkIntegrityFailed: () =>
    new FerryError(
      "ChunkIntegrityFailed",
      500,
      "A stored data chunk failed authentication (tampered, or read with the wrong context).",
    ),
  keyUnwrapFailed: (keyId: string) =>
    new FerryError(
      "KeyUnwrapFailed",
      500,
      `The data-encryption key could not be unwrapped with key '${keyId}'.`,
      "key",
    ),
  internal: () => new FerryError("InternalError", 500, "An unexpected error occurred; see the host log."),
} as const;

export function isFerryError(error: unknown): error is FerryError {
  return error instanceof FerryError;
}

/** The wire shape of an error body. */
export function errorBody(error: FerryError): {
  error: { code: string; message: string; target?: string } & Record<string, unknown>;
} {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.target ? { target: error.target } : {}),
      ...(error.details ?? {}),
    },
  };
}
