import { routes, type Machine } from "../../../client";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { useFerry } from "../ferry";
import { bytes, time } from "../format";
import { useLive } from "../live";
import { href } from "../router";

/** The servers whose agents registered, with their facts; those not yet replicating can be replicated. */
export function DiscoveredServers(props: { projectId: string }) {
  const { client, role } = useFerry();
  const machines = useLive(
    (signal) => client.project(props.projectId).listAll(routes.listMachines, { signal }),
    [props.projectId],
  );
  return (
    <>
      <h1>Discovered servers</h1>
      <ApiErrorAlert error={machines.error} />
      <DataTable<Machine>
        label="Discovered servers"
        rows={machines.data ?? []}
        rowKey={(m) => m.id}
        empty={machines.data ? "No server yet: install the agent on a source server and register it." : "Loading…"}
        columns={[
          { title: "Name", cell: (m) => m.hostname },
          { title: "Operating system", cell: (m) => `${m.os} ${m.osVersion}` },
          { title: "CPUs", cell: (m) => m.cpus },
          { title: "Memory", cell: (m) => bytes(m.memoryMiB * 1024 * 1024) },
          {
            title: "Disks",
            cell: (m) => m.disks.map((d) => `${d.id} ${bytes(d.sizeBytes)}${d.isBoot ? " (boot)" : ""}`).join(", "),
          },
          { title: "Last heartbeat", cell: (m) => time(m.lastHeartbeatTime) },
          {
            title: "Replication",
            cell: (m) =>
              m.replicatingServerId ? (
                <a href={href.server(props.projectId, m.replicatingServerId)}>Replicating</a>
              ) : mayAct(role) ? (
                <button type="button" onClick={() => (location.hash = href.replicate(props.projectId, m.id))}>
                  Replicate
                </button>
              ) : (
                "Not replicating"
              ),
          },
        ]}
      />
    </>
  );
}
