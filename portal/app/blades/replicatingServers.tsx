import { routes, type ReplicatingServer } from "../../../client";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { Health } from "../components/health";
import { ItemActions } from "../components/itemActions";
import { Progress } from "../components/progress";
import { useFerry } from "../ferry";
import { duration, speed, time, words } from "../format";
import { useLive } from "../live";
import { href } from "../router";
import { mayAct } from "../../../shared/domain/operatorRoles";

/** The replication state as a person reads it, with the flags that qualify it. */
export function stateText(item: ReplicatingServer): string {
  const flags = [
    item.replicationPaused ? "paused" : "",
    item.resyncInProgress ? "resynchronizing" : item.resyncRequired ? "resync required" : "",
  ].filter(Boolean);
  return `${words(item.migrationState)}${flags.length ? ` (${flags.join(", ")})` : ""}`;
}

export const uploadSpeed = (item: ReplicatingServer) =>
  speed(item.agentFigures?.bytesPerSecond ?? item.disks.reduce((sum, d) => sum + d.uploadBytesPerSecond, 0));

/** The grid of every replicating server: state, health, seeding, speed, RPO, last point, and its actions. */
export function ReplicatingServers(props: { projectId: string }) {
  const { client, role } = useFerry();
  const items = useLive(
    (signal) => client.project(props.projectId).listAll(routes.listReplicatingServers, { signal }),
    [props.projectId],
  );
  return (
    <>
      <h1>Replicating servers</h1>
      <ApiErrorAlert error={items.error} />
      <DataTable<ReplicatingServer>
        label="Replicating servers"
        rows={items.data ?? []}
        rowKey={(i) => i.id}
        empty={items.data ? "No server replicates yet: replicate one from Discovered servers." : "Loading…"}
        columns={[
          { title: "Name", cell: (i) => <a href={href.server(props.projectId, i.id)}>{i.machineName}</a> },
          { title: "State", cell: stateText },
          { title: "Test migration", cell: (i) => words(i.testMigrateState) },
          { title: "Health", cell: (i) => <Health health={i.health} errors={i.healthErrors} /> },
          {
            title: "Initial seeding",
            cell: (i) => <Progress label={`Initial seeding of ${i.machineName}`} value={i.initialSeedingProgress} />,
          },
          { title: "Upload speed", cell: uploadSpeed },
          { title: "RPO", cell: (i) => duration(i.rpoSeconds) },
          { title: "Last recovery point", cell: (i) => time(i.lastRecoveryPointTime) },
          // A role that may not act has no buttons, so no column for them either.
          ...(mayAct(role)
            ? [
                {
                  title: "Actions",
                  cell: (i: ReplicatingServer) => (
                    <ItemActions projectId={props.projectId} item={i} onStarted={items.reload} />
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
