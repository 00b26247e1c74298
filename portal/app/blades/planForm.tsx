import { useState } from "preact/hooks";
import { routes, type CreatedRecoveryPlan, type ReplicatingServer } from "../../../client";
import { ApiErrorAlert, fieldError } from "../components/apiError";
import { CheckField, TextAreaField, TextField } from "../components/fields";
import { useFerry } from "../ferry";
import { useLive } from "../live";
import { actionField, emptyDraft, emptyGroup, planRequest, takenElsewhere, type GroupDraft } from "./planDraft";

interface GroupProps {
  index: number;
  group: GroupDraft;
  /** The servers this group may take: the project's, less those another group took. */
  servers: ReplicatingServer[];
  error: unknown;
  change(patch: Partial<GroupDraft>): void;
  remove?(): void;
}

function ServerChoice(props: GroupProps) {
  const { group, change } = props;
  const toggle = (id: string, on: boolean) =>
    change({ itemIds: on ? [...group.itemIds, id] : group.itemIds.filter((i) => i !== id) });
  return (
    <fieldset>
      <legend>Servers</legend>
      {props.servers.length === 0 ? <p class="empty">No replicating server is left for this group.</p> : null}
      {props.servers.map((server) => (
        <CheckField
          key={server.id}
          label={server.machineName}
          checked={group.itemIds.includes(server.id)}
          onChange={(on) => toggle(server.id, on)}
        />
      ))}
      {fieldError(props.error, `groups[${props.index}].items`) ? (
        <p class="field-error">{fieldError(props.error, `groups[${props.index}].items`)}</p>
      ) : null}
    </fieldset>
  );
}

function GroupFields(props: GroupProps) {
  const { index, group, change, error } = props;
  const at = (field: string) => fieldError(error, `groups[${index}].${field}`);
  return (
    <fieldset class="plan-group">
      <legend>Group {index + 1}</legend>
      <TextField
        label="Group name"
        value={group.name}
        onInput={(name) => change({ name })}
        hint={`Optional: "Group ${index + 1}" otherwise.`}
        error={at("name")}
      />
      <ServerChoice {...props} />
      <TextAreaField
        label="Manual action after the group"
        value={group.instructions}
        onInput={(instructions) => change({ instructions })}
        hint="Instructions for the person who resumes the job: it waits here. Empty: none."
        error={at(actionField(group, "instructions"))}
      />
      <TextField
        type="url"
        label="Webhook after the group"
        value={group.webhookUrl}
        onInput={(webhookUrl) => change({ webhookUrl })}
        hint="Ferry sends it a signed POST and needs a 2xx answer. Empty: none."
        error={at(actionField(group, "url"))}
      />
      {props.remove ? (
        <button type="button" onClick={props.remove}>
          Remove group {index + 1}
        </button>
      ) : null}
    </fieldset>
  );
}

/** The plan's name, description and groups in order, each with its servers and its actions. */
export function CreatePlan(props: { projectId: string; onCreated(created: CreatedRecoveryPlan): void }) {
  const { client } = useFerry();
  const project = client.project(props.projectId);
  const servers = useLive((signal) => project.listAll(routes.listReplicatingServers, { signal }), [props.projectId]);
  const [draft, setDraft] = useState(emptyDraft);
  const [error, setError] = useState<unknown>();
  const changeGroup = (key: number, patch: Partial<GroupDraft>) =>
    setDraft((old) => ({ ...old, groups: old.groups.map((g) => (g.key === key ? { ...g, ...patch } : g)) }));
  const removeGroup = (key: number) => setDraft((old) => ({ ...old, groups: old.groups.filter((g) => g.key !== key) }));
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      props.onCreated(await project.call(routes.createRecoveryPlan, { body: planRequest(draft) }));
      setDraft(emptyDraft());
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-plan">
      <h2 id="create-plan">Create a recovery plan</h2>
      <TextField
        label="Plan name"
        value={draft.name}
        onInput={(name) => setDraft({ ...draft, name })}
        error={fieldError(error, "name")}
      />
      <TextAreaField
        label="Description"
        value={draft.description}
        onInput={(description) => setDraft({ ...draft, description })}
        error={fieldError(error, "description")}
      />
      {draft.groups.map((group, index) => (
        <GroupFields
          key={group.key}
          index={index}
          group={group}
          servers={(servers.data ?? []).filter((s) => !takenElsewhere(draft, group.key).has(s.id))}
          error={error}
          change={(patch) => changeGroup(group.key, patch)}
          remove={draft.groups.length > 1 ? () => removeGroup(group.key) : undefined}
        />
      ))}
      <ApiErrorAlert error={error ?? servers.error} what={error ? "The plan was refused" : undefined} />
      <div class="buttons">
        <button type="button" onClick={() => setDraft((old) => ({ ...old, groups: [...old.groups, emptyGroup()] }))}>
          Add group
        </button>
        <button type="submit" class="primary">
          Create plan
        </button>
      </div>
    </form>
  );
}
