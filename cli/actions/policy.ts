import { routes } from "../../shared/api/routes";
import { defaultPolicy } from "../../shared/domain/policy";
import type { Invocation } from "../commandKit";
import { printList, printObject, type Field } from "../output";
import type { Policy } from "../../client/resources";
import { Session } from "../session";
import { policyColumns } from "../views/setupViews";

interface CreateOptions {
  name: string;
  rpoThresholdMinutes?: number;
  retentionHours?: number;
  crashFrequencyMinutes?: number;
  appFrequencyMinutes?: number;
}

export async function create({ options }: Invocation<CreateOptions>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const policy = await project.call(routes.createPolicy, {
    body: {
      name: options.name,
      rpoThresholdMinutes: options.rpoThresholdMinutes ?? defaultPolicy.rpoThresholdMinutes,
      recoveryPointRetentionHours: options.retentionHours ?? defaultPolicy.recoveryPointRetentionHours,
      crashConsistentFrequencyMinutes: options.crashFrequencyMinutes ?? defaultPolicy.crashConsistentFrequencyMinutes,
      appConsistentFrequencyMinutes: options.appFrequencyMinutes ?? defaultPolicy.appConsistentFrequencyMinutes,
    },
  });
  await printObject(
    session,
    policy,
    policyColumns.map((c): Field<Policy> => [c.header, c.cell]),
  );
}

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  await printList(session, await project.listAll(routes.listPolicies), policyColumns);
}
