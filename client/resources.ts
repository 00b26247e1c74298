import type { z } from "zod";
import type { applianceSchema } from "../shared/api/appliances";
import type { machineSchema } from "../shared/api/machines";
import type { createdOperatorKeySchema, operatorKeySchema } from "../shared/api/operatorKeys";
import type { recoveryPointSchema } from "../shared/api/operations";
import type { policySchema } from "../shared/api/policies";
import type { projectSchema } from "../shared/api/projects";
import type { createRecoveryPlanResponse, recoveryPlanSchema } from "../shared/api/recoveryPlans";
import type { replicatingServerSchema } from "../shared/api/replications";
import type { virtualMachineSchema } from "../shared/api/virtualMachines";

/** The API's resources as the client receives them, typed from their schemas. */
export type Project = z.infer<typeof projectSchema>;
export type Appliance = z.infer<typeof applianceSchema>;
export type Machine = z.infer<typeof machineSchema>;
export type Policy = z.infer<typeof policySchema>;
export type ReplicatingServer = z.infer<typeof replicatingServerSchema>;
export type RecoveryPoint = z.infer<typeof recoveryPointSchema>;
export type VirtualMachine = z.infer<typeof virtualMachineSchema>;
export type OperatorKey = z.infer<typeof operatorKeySchema>;
export type CreatedOperatorKey = z.infer<typeof createdOperatorKeySchema>;
export type RecoveryPlan = z.infer<typeof recoveryPlanSchema>;
export type CreatedRecoveryPlan = z.infer<typeof createRecoveryPlanResponse>;
