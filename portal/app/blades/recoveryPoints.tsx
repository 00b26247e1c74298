import { useState } from "preact/hooks";
import { routes, type RecoveryPoint } from "../../../client";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { useFerry } from "../ferry";
import { time, words } from "../format";
import { useLive } from "../live";

interface Verification {
  state: string;
  disks?: { diskId: string; sha256: string }[];
}

/** The server's recovery points, each with Verify: a job whose result is every disk's SHA-256 at that point. */
export function RecoveryPoints(props: { projectId: string; itemId: string }) {
  const ferry = useFerry();
  const project = ferry.client.project(props.projectId);
  const points = useLive(
    (signal) => project.listAll(routes.listRecoveryPoints, { params: { itemId: props.itemId }, signal }),
    [props.itemId],
    5000,
  );
  const [checks, setChecks] = useState<Record<string, Verification>>({});
  const [error, setError] = useState<unknown>();
  const verify = async (point: RecoveryPoint) => {
    setError(undefined);
    setChecks((old) => ({ ...old, [point.id]: { state: "InProgress" } }));
    try {
      const { job } = await project.call(routes.verifyRecoveryPoint, {
        params: { itemId: props.itemId, recoveryPointId: point.id },
      });
      const ended = await project.waitForJob(job);
      const disks = (ended.result?.disks ?? []) as Verification["disks"];
      setChecks((old) => ({ ...old, [point.id]: { state: ended.state, disks } }));
    } catch (failure) {
      setError(failure);
      setChecks((old) => ({ ...old, [point.id]: { state: "Failed" } }));
    }
  };
  const result = (point: RecoveryPoint) => {
    const check = checks[point.id];
    if (!check)
      return mayAct(ferry.role) ? (
        <button type="button" onClick={() => void verify(point)}>
          Verify
        </button>
      ) : null;
    if (!check.disks) return words(check.state);
    return (
      <ul class="hashes">
        {check.disks.map((d) => (
          <li key={d.diskId}>
            {d.diskId}: <code>{d.sha256}</code>
          </li>
        ))}
      </ul>
    );
  };
  return (
    <section class="panel" aria-labelledby="points">
      <h2 id="points">Recovery points</h2>
      <ApiErrorAlert error={error ?? points.error} />
      <DataTable<RecoveryPoint>
        label="Recovery points"
        pageSize={10}
        rows={points.data ?? []}
        rowKey={(p) => p.id}
        empty="No recovery point yet."
        columns={[
          { title: "Time", cell: (p) => time(p.time) },
          { title: "Type", cell: (p) => words(p.type) },
          { title: "Processed", cell: (p) => (p.processed ? "Yes" : "Applying") },
          { title: "SHA-256", cell: result },
        ]}
      />
    </section>
  );
}
