import {
  applianceSchema,
  passphraseResponse,
  registerApplianceRequest,
  registerApplianceResponse,
} from "../appliances";
import { emptyBodySchema } from "../common";
import { createProjectRequest, projectSchema, registrationKeyResponse } from "../projects";
import { defineRoutes, projectPath } from "./route";

const appliance = `${projectPath}/appliances/{applianceId}` as const;

/** Projects and the appliances registered to them. */
export const projectRoutes = defineRoutes({
  createProject: {
    method: "post",
    path: "/projects",
    summary: "Create a project",
    auth: "operator",
    access: "admin",
    body: createProjectRequest,
    response: { status: 201, description: "Created.", schema: projectSchema },
  },
  listProjects: {
    method: "get",
    path: "/projects",
    summary: "List projects",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The projects.", schema: projectSchema, list: true },
  },
  getProject: {
    method: "get",
    path: projectPath,
    summary: "Get a project",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The project.", schema: projectSchema },
  },
  createRegistrationKey: {
    method: "post",
    path: `${projectPath}/registration-keys`,
    summary: "Generate an appliance registration key (single use, 5 days)",
    auth: "operator",
    access: "operate",
    body: emptyBodySchema,
    response: { status: 201, description: "The key, shown once.", schema: registrationKeyResponse },
  },
  registerAppliance: {
    method: "post",
    path: "/appliances",
    summary: "Register an appliance with a registration key",
    auth: "none",
    body: registerApplianceRequest,
    response: {
      status: 201,
      description: "Registered; the passphrase is shown once.",
      schema: registerApplianceResponse,
    },
  },
  listAppliances: {
    method: "get",
    path: `${projectPath}/appliances`,
    summary: "List appliances",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The appliances.", schema: applianceSchema, list: true },
  },
  finalizeAppliance: {
    method: "post",
    path: `${appliance}/finalize`,
    summary: "Finalize an appliance registration",
    auth: "operator",
    access: "operate",
    body: emptyBodySchema,
    response: { status: 200, description: "Finalized.", schema: applianceSchema },
  },
  rotatePassphrase: {
    method: "post",
    path: `${appliance}/passphrase`,
    summary: "Rotate the appliance passphrase (registered agents keep working)",
    auth: "operator",
    access: "operate",
    body: emptyBodySchema,
    response: { status: 200, description: "The new passphrase, shown once.", schema: passphraseResponse },
  },
});
