import { useEffect, useState } from "preact/hooks";
import { FerryApiError, routes } from "../../../client";
import { ApiErrorAlert } from "../components/apiError";
import { useFerry } from "../ferry";
import { useLive } from "../live";
import { href } from "../router";
import { DisksStep, PolicyStep, ReviewStep, SourceStep, TargetStep, type StepProps } from "./wizardSteps";
import { enableRequest, initialForm, stepOf, wizardSteps, type WizardForm, type WizardStep } from "./wizardState";

const stepViews: Record<WizardStep, (props: StepProps) => preact.JSX.Element> = {
  "Source machine": SourceStep,
  Policy: PolicyStep,
  "Target settings": TargetStep,
  Disks: DisksStep,
  Review: ReviewStep,
};

function StepList(props: { current: number }) {
  return (
    <ol class="steps" aria-label="Steps">
      {wizardSteps.map((name, i) => (
        <li key={name} aria-current={i === props.current ? "step" : undefined}>
          {name}
        </li>
      ))}
    </ol>
  );
}

/** Replicate: source machine → policy → target settings → disks → review; the API's errors land on their field. */
export function ReplicateWizard(props: { projectId: string; machineId: string }) {
  const ferry = useFerry();
  const project = ferry.client.project(props.projectId);
  const facts = useLive(
    async (signal) => {
      const [machines, policies] = await Promise.all([
        project.listAll(routes.listMachines, { signal }),
        project.listAll(routes.listPolicies, { signal }),
      ]);
      return { machines: machines.filter((m) => !m.replicatingServerId || m.id === props.machineId), policies };
    },
    [props.projectId],
    60_000,
  );
  const [form, setForm] = useState<WizardForm>();
  const [step, setStep] = useState(0);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (facts.data && form === undefined)
      setForm(
        initialForm(
          facts.data.machines.find((m) => m.id === props.machineId),
          facts.data.policies,
        ),
      );
  }, [facts.data]);
  if (!facts.data || !form) return <ApiErrorAlert error={facts.error} />;
  const name = wizardSteps[step] as WizardStep;
  const View = stepViews[name];
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const started = await project.call(routes.enableReplication, { body: enableRequest(form) });
      ferry.watchJob(props.projectId, started.job);
      ferry.notify(`Replication started for ${started.item.machineName}`, href.job(props.projectId, started.job.id));
      location.hash = href.project(props.projectId, "replicating-servers");
    } catch (failure) {
      setError(failure);
      setBusy(false);
      if (failure instanceof FerryApiError) setStep(wizardSteps.indexOf(stepOf(failure.target)));
    }
  };
  return (
    <>
      <h1>Replicate</h1>
      <StepList current={step} />
      <form
        class="panel wizard"
        aria-label={name}
        onSubmit={(event) => {
          event.preventDefault();
          if (step < wizardSteps.length - 1) setStep(step + 1);
          else void submit();
        }}
      >
        <h2>{name}</h2>
        <View
          form={form}
          set={(change) => {
            // An edit answers the refusal: the next attempt will be judged afresh.
            setForm({ ...form, ...change });
            setError(undefined);
          }}
          error={error}
          {...facts.data}
        />
        <ApiErrorAlert error={error} what="Replication was refused" />
        <div class="buttons">
          {step > 0 ? (
            <button type="button" onClick={() => setStep(step - 1)}>
              Back
            </button>
          ) : null}
          <button type="submit" class="primary" disabled={busy}>
            {step < wizardSteps.length - 1 ? "Next" : "Replicate"}
          </button>
        </div>
      </form>
    </>
  );
}
