import { routes } from "../../shared/api/routes";
import type { Invocation } from "../commandKit";
import { resolveAppliance } from "../lookups";
import { note, printJson, printList, printObject } from "../output";
import { writeSecretFile } from "../profiles";
import { Session } from "../session";
import { applianceColumns, applianceFields } from "../views/setupViews";
import { time } from "../views/format";

export async function key({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const registration = await project.call(routes.createRegistrationKey);
  await printObject(session, registration, [
    ["Registration key", (k) => k.key],
    ["Expires", (k) => time(k.expiresAt)],
  ]);
  note(
    "Single use. Register the appliance with: ferry appliance register --key KEY --name NAME --passphrase-file FILE",
  );
}

interface RegisterOptions {
  key?: string;
  name: string;
  passphraseFile: string;
  server?: string;
}

/** Registers with the key (a new one when none is given); the passphrase goes to its file, never to stdout. */
export async function register({ options }: Invocation<RegisterOptions>): Promise<void> {
  const session = new Session(options, options.server);
  const registrationKey = options.key ?? (await (await session.project()).call(routes.createRegistrationKey)).key;
  const registered = await session.anonymousClient().call(routes.registerAppliance, {
    body: { registrationKey, name: options.name },
  });
  writeSecretFile(options.passphraseFile, registered.passphrase);
  const shown = {
    applianceId: registered.applianceId,
    projectId: registered.projectId,
    passphraseFile: options.passphraseFile,
  };
  if (session.json) printJson(shown);
  else {
    await printObject(session, shown, [
      ["Appliance", (r) => r.applianceId],
      ["Project", (r) => r.projectId],
      ["Passphrase file", (r) => r.passphraseFile],
    ]);
  }
  note(
    `Passphrase written to ${options.passphraseFile} (0600). Finalize with: ferry appliance finalize ${options.name}`,
  );
}

export async function finalize({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const appliance = await resolveAppliance(project, args[0]);
  const finalized = await project.call(routes.finalizeAppliance, { params: { applianceId: appliance.id } });
  await printObject(session, finalized, applianceFields);
}

export async function rotatePassphrase({ args, options }: Invocation<{ passphraseFile: string }>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const appliance = await resolveAppliance(project, args[0]);
  const { passphrase } = await project.call(routes.rotatePassphrase, { params: { applianceId: appliance.id } });
  writeSecretFile(options.passphraseFile, passphrase);
  const shown = { applianceId: appliance.id, passphraseFile: options.passphraseFile };
  if (session.json) printJson(shown);
  note(`New passphrase written to ${options.passphraseFile} (0600); agents registered already keep working.`);
}

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  await printList(session, await project.listAll(routes.listAppliances), applianceColumns, "No appliances yet.");
}
