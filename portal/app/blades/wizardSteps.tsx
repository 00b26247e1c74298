import type { Machine, Policy } from "../../../client";
import { diskTypes, type DiskType } from "../../../shared/domain/targetDisks";
import { vmSizeCatalog } from "../../../shared/domain/vmSizeCatalog";
import { fieldError } from "../components/apiError";
import { CheckField, SelectField, TextField } from "../components/fields";
import { bytes } from "../format";
import { closestMatch, type WizardForm } from "./wizardState";

export interface StepProps {
  form: WizardForm;
  set(change: Partial<WizardForm>): void;
  error: unknown;
  machines: Machine[];
  policies: Policy[];
}

const machineOf = (props: StepProps) => props.machines.find((m) => m.id === props.form.machineId);

export function SourceStep(props: StepProps) {
  return (
    <SelectField
      label="Source machine"
      value={props.form.machineId}
      onChange={(machineId) => props.set({ machineId })}
      options={props.machines.map((m) => ({ value: m.id, label: `${m.hostname} (${m.os}, ${m.disks.length} disks)` }))}
      error={fieldError(props.error, "machineId")}
    />
  );
}

export function PolicyStep(props: StepProps) {
  return (
    <SelectField
      label="Replication policy"
      value={props.form.policyId}
      onChange={(policyId) => props.set({ policyId })}
      options={props.policies.map((p) => ({
        value: p.id,
        label: `${p.name}: RPO threshold ${p.rpoThresholdMinutes} min, points kept ${p.recoveryPointRetentionHours} h`,
      }))}
      error={fieldError(props.error, "policyId")}
    />
  );
}

export function TargetStep(props: StepProps) {
  const { form, set, error } = props;
  const machine = machineOf(props);
  const text = (field: "resourceGroup" | "network" | "subnet" | "vmName" | "availabilitySet", label: string) => (
    <TextField
      label={label}
      value={form[field]}
      onInput={(value) => set({ [field]: value })}
      error={fieldError(error, `target.${field}`)}
    />
  );
  const closest = closestMatch(machine, form);
  return (
    <>
      {text("resourceGroup", "Resource group")}
      {text("network", "Virtual network")}
      {text("subnet", "Subnet")}
      {text("vmName", "VM name (default: the server's name)")}
      <SelectField
        label="VM size"
        value={form.vmSize}
        onChange={(vmSize) => set({ vmSize })}
        options={[
          { value: "auto", label: `Closest match: ${closest ?? "none fits"}` },
          ...vmSizeCatalog.map((s) => ({ value: s.name, label: `${s.name} (${s.vCpus} vCPUs, ${s.memoryGiB} GiB)` })),
        ]}
        error={fieldError(error, "target.vmSize")}
      />
      <SelectField
        label="OS disk"
        value={form.osDiskId}
        onChange={(osDiskId) => set({ osDiskId })}
        options={(machine?.disks ?? []).map((d) => ({ value: d.id, label: `${d.id} ${bytes(d.sizeBytes)}` }))}
        error={fieldError(error, "target.osDiskId")}
      />
      {text("availabilitySet", "Availability set (optional)")}
      <CheckField
        label="Azure Hybrid Benefit"
        checked={form.hybridBenefit}
        onChange={(hybridBenefit) => set({ hybridBenefit })}
        hint="You have Windows Server licenses with Software Assurance."
      />
    </>
  );
}

export function DisksStep(props: StepProps) {
  const { form, set } = props;
  const machine = machineOf(props);
  const size = (diskId: string) => bytes(machine?.disks.find((d) => d.id === diskId)?.sizeBytes ?? 0);
  const change = (diskId: string, patch: { include?: boolean; diskType?: DiskType }) =>
    set({ disks: form.disks.map((d) => (d.diskId === diskId ? { ...d, ...patch } : d)) });
  return (
    <fieldset>
      <legend>Disks to replicate</legend>
      {form.disks.map((disk) => (
        <div class="disk-choice" key={disk.diskId}>
          <CheckField
            label={`Include ${disk.diskId} (${size(disk.diskId)})`}
            checked={disk.include}
            onChange={(include) => change(disk.diskId, { include })}
          />
          <SelectField
            label={`Disk type of ${disk.diskId}`}
            value={disk.diskType}
            onChange={(diskType) => change(disk.diskId, { diskType: diskType as DiskType })}
            options={diskTypes.map((t) => ({ value: t, label: t }))}
          />
        </div>
      ))}
      {fieldError(props.error, "target.disks") ? (
        <p class="field-error">{fieldError(props.error, "target.disks")}</p>
      ) : null}
    </fieldset>
  );
}

export function ReviewStep(props: StepProps) {
  const { form } = props;
  const machine = machineOf(props);
  const policy = props.policies.find((p) => p.id === form.policyId);
  const rows: [string, string][] = [
    ["Source machine", machine?.hostname ?? form.machineId],
    ["Policy", policy?.name ?? form.policyId],
    ["Resource group", form.resourceGroup],
    ["Virtual network", `${form.network} / ${form.subnet}`],
    ["VM size", form.vmSize === "auto" ? `Closest match: ${closestMatch(machine, form) ?? "none fits"}` : form.vmSize],
    ["OS disk", form.osDiskId],
    ["Disks", form.disks.map((d) => `${d.diskId}: ${d.include ? d.diskType : "excluded"}`).join(", ")],
    ["Azure Hybrid Benefit", form.hybridBenefit ? "Yes" : "No"],
  ];
  return (
    <dl class="review">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value || "—"}</dd>
        </div>
      ))}
    </dl>
  );
}
