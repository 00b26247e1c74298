import type { z } from "zod";
import { emptyBodySchema } from "../common";
import { migrateRequest, testMigrateRequest } from "../operations";
import { accepted, defineRoutes, itemPath } from "./route";

/** An operation on one replicating server: a POST that answers 202 with the job it started. */
function itemOperation<S extends string, B extends z.ZodType = typeof emptyBodySchema>(
  segment: S,
  summary: string,
  body?: B,
) {
  return {
    method: "post",
    path: `${itemPath}/${segment}`,
    summary,
    auth: "operator",
    access: "operate",
    body: (body ?? emptyBodySchema) as B,
    response: accepted(`${summary} started.`),
  } as const;
}

/** Test migration, migration and replication control. */
export const operationRoutes = defineRoutes({
  testMigrate: itemOperation("test-migrate", "Test migration", testMigrateRequest),
  testMigrateCleanup: itemOperation("test-migrate-cleanup", "Test migration cleanup"),
  migrate: itemOperation("migrate", "Migration", migrateRequest),
  completeMigration: itemOperation("complete", "Complete migration (stop replication)"),
  resync: itemOperation("resync", "Resynchronization"),
  pauseReplication: itemOperation("pause", "Pause replication"),
  resumeReplication: itemOperation("resume", "Resume replication"),
});
