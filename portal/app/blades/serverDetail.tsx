import { routes, type ReplicatingServer } from "../../../client";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { Health, HealthBadge } from "../components/health";
import { ItemActions } from "../components/itemActions";
import { Progress } from "../components/progress";
import { RpoChart } from "../components/rpoChart";
import { useFerry } from "../ferry";
import { bytes, duration, speed, time, words } from "../format";
import { useLive } from "../live";
import { RecoveryPoints } from "./recoveryPoints";
import { stateText, uploadSpeed } from "./replicatingServers";

type Disk = ReplicatingServer["disks"][number];

function Summary(props: { item: ReplicatingServer }) {
  const { item } = props;
  const rows: [string, preact.ComponentChildren][] = [
    ["State", stateText(item)],
    ["Test migration", words(item.testMigrateState)],
    ["Health", <Health health={item.health} errors={item.healthErrors} />],
    ["Initial seeding", <Progress label="Initial seeding" value={item.initialSeedingProgress} />],
    ["Upload speed", uploadSpeed(item)],
    ["RPO", duration(item.rpoSeconds)],
    ["Last recovery point", time(item.lastRecoveryPointTime)],
    ["Target", `${item.target.vmSize} in ${item.target.resourceGroup}, ${item.target.network}/${item.target.subnet}`],
  ];
  return (
    <dl class="summary">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Metrics(props: { projectId: string; itemId: string }) {
  const { client } = useFerry();
  const since = () => new Date(Date.now() - 6 * 3_600_000).toISOString();
  const metrics = useLive(
    (signal) =>
      client.project(props.projectId).call(routes.getReplicatingServerMetrics, {
        params: { itemId: props.itemId },
        query: { since: since() },
        signal,
      }),
    [props.itemId],
    5000,
  );
  const changes = [...(metrics.data?.healthChanges ?? [])].reverse();
  return (
    <>
      <section class="panel" aria-labelledby="rpo">
        <h2 id="rpo">RPO and lag, last 6 hours</h2>
        <ApiErrorAlert error={metrics.error} />
        <RpoChart samples={metrics.data?.samples ?? []} />
      </section>
      <section class="panel" aria-labelledby="health-history">
        <h2 id="health-history">Health history</h2>
        <ul class="history">
          {changes.map((change) => (
            <li key={change.time}>
              {time(change.time)}: <HealthBadge health={change.health} />
              {change.healthErrors.length ? ` ${change.healthErrors.map(words).join(", ")}` : ""}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** One replicating server: its figures, disks, recovery points, RPO over time and health history. */
export function ServerDetail(props: { projectId: string; itemId: string }) {
  const { client } = useFerry();
  const item = useLive(
    (signal) =>
      client.project(props.projectId).call(routes.getReplicatingServer, { params: { itemId: props.itemId }, signal }),
    [props.itemId],
  );
  const i = item.data;
  return (
    <>
      <h1>{i?.machineName ?? "Replicating server"}</h1>
      <ApiErrorAlert error={item.error} />
      {i ? (
        <>
          <ItemActions projectId={props.projectId} item={i} onStarted={item.reload} />
          <Summary item={i} />
          <section class="panel" aria-labelledby="disks">
            <h2 id="disks">Disks</h2>
            <DataTable<Disk>
              label="Disks"
              rows={i.disks}
              rowKey={(d) => d.diskId}
              empty="No disks."
              columns={[
                { title: "Disk", cell: (d) => `${d.diskId}${d.isBoot ? " (boot)" : ""}` },
                { title: "Size", cell: (d) => bytes(d.sizeBytes) },
                { title: "Replicated", cell: (d) => (d.include ? bytes(d.bytesReplicated) : "Excluded") },
                { title: "Upload speed", cell: (d) => speed(d.uploadBytesPerSecond) },
                { title: "Disk type", cell: (d) => d.diskType },
              ]}
            />
          </section>
          <RecoveryPoints projectId={props.projectId} itemId={props.itemId} />
          <Metrics projectId={props.projectId} itemId={props.itemId} />
        </>
      ) : null}
    </>
  );
}
