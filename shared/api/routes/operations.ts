import type { z } from "zod";
import { emptyBodySchema } from "../common";
import { migrateRequest, testMigrateRequest } from "../operations";
import { accepted, defineRoutes, itemPath, type RouteSpec } from "./route";

/** An operation on one replicating server: a POST that answers 202 with the job it started. */
function itemOperation(segment: string, summary: string, body: z.ZodType = emptyBodySchema): RouteSpec {
  return {
    method: "post",
    path: `${itemPath}/${segment}`,
    summary,
    auth: "operator",
    access: "operate",
    body,
    response: accepted(`${summary} started.`),
  };
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
