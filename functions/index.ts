// The one entry `package.json` main points at: every Ferry function registers on import.
import { app } from "@azure/functions";
// First: telemetry is running before anything else loads.
import "./telemetry";
import "./startup";
import "./http/health";
import "./http/openapi";
import "./http/projects";
import "./http/operatorKeys";
import "./http/appliances";
import "./http/agents";
import "./http/machines";
import "./http/policies";
import "./http/replications";
import "./http/jobs";
import "./http/virtualMachines";
import "./http/agentData";
import "./http/recoveryPoints";
import "./http/metrics";
import "./http/session";
import "./http/portal";
import "./timers/dataPathMaintenance";
import "./timers/metricsSampler";
import "./http/itemOperations";
import "./http/recoveryPlans";
import "./http/planOperations";
import "./activities/jobActivities";
import "./activities/planActivities";
import "./orchestrations/runJob";
import "./orchestrations/runPlanJob";

// Change batches are streamed request bodies of tens of MiB: never buffer them whole.
app.setup({ enableHttpStream: true });
