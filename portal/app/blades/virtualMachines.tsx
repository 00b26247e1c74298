import { useState } from "preact/hooks";
import { routes, type VirtualMachine } from "../../../client";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { useFerry } from "../ferry";
import { bytes, time, words } from "../format";
import { useLive } from "../live";

/** A disk's download: the API mints a 15-minute link (no key in it) and the browser follows it. */
function Downloads(props: { projectId: string; vm: VirtualMachine; onError(error: unknown): void }) {
  const { client } = useFerry();
  const download = async (diskId: string) => {
    try {
      const link = await client
        .project(props.projectId)
        .call(routes.createDiskDownloadLink, { params: { vmId: props.vm.id, diskId } });
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.download = `${props.vm.name}-${diskId}.vhd`;
      anchor.click();
    } catch (error) {
      props.onError(error);
    }
  };
  return (
    <ul class="downloads">
      {props.vm.disks.map((disk) => (
        <li key={disk.diskId}>
          <button type="button" onClick={() => void download(disk.diskId)}>
            Download {disk.diskId}
          </button>{" "}
          {bytes(disk.vhdSizeBytes)} VHD{disk.isOsDisk ? ", OS disk" : ""}
        </li>
      ))}
    </ul>
  );
}

/** The VMs test migrations and migrations created, with their disks downloadable as fixed VHDs. */
export function VirtualMachines(props: { projectId: string }) {
  const { client } = useFerry();
  const vms = useLive(
    (signal) => client.project(props.projectId).listAll(routes.listVirtualMachines, { signal }),
    [props.projectId],
  );
  const [error, setError] = useState<unknown>();
  return (
    <>
      <h1>Virtual machines</h1>
      <ApiErrorAlert error={error ?? vms.error} />
      <DataTable<VirtualMachine>
        label="Virtual machines"
        rows={vms.data ?? []}
        rowKey={(vm) => vm.id}
        empty={vms.data ? "No VM yet: a test migration or a migration creates one." : "Loading…"}
        columns={[
          { title: "Name", cell: (vm) => vm.name },
          { title: "Kind", cell: (vm) => words(vm.kind) },
          { title: "State", cell: (vm) => vm.state },
          { title: "Size", cell: (vm) => vm.vmSize },
          { title: "Network", cell: (vm) => `${vm.network}${vm.subnet ? `/${vm.subnet}` : ""}` },
          { title: "Private IP", cell: (vm) => vm.networkInterface.privateIpAddress },
          { title: "Created", cell: (vm) => time(vm.createdAt) },
          { title: "Disks", cell: (vm) => <Downloads projectId={props.projectId} vm={vm} onError={setError} /> },
        ]}
      />
    </>
  );
}
