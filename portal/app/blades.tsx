import { DiscoveredServers } from "./blades/discoveredServers";
import { JobDetail } from "./blades/jobDetail";
import { Jobs } from "./blades/jobs";
import { Overview } from "./blades/overview";
import { PlanDetail } from "./blades/planDetail";
import { ProjectSetup } from "./blades/projectSetup";
import { Projects } from "./blades/projects";
import { ReplicateWizard } from "./blades/replicateWizard";
import { RecoveryPlans } from "./blades/recoveryPlans";
import { ReplicatingServers } from "./blades/replicatingServers";
import { ServerDetail } from "./blades/serverDetail";
import { VirtualMachines } from "./blades/virtualMachines";
import type { Blade } from "./router";

/** The blade the URL names. */
export function Blades(props: { blade: Blade }) {
  const { blade } = props;
  switch (blade.name) {
    case "projects":
      return <Projects />;
    case "setup":
      return <ProjectSetup projectId={blade.projectId} />;
    case "overview":
      return <Overview projectId={blade.projectId} />;
    case "discovered":
      return <DiscoveredServers projectId={blade.projectId} />;
    case "replicate":
      return <ReplicateWizard key={blade.machineId} projectId={blade.projectId} machineId={blade.machineId} />;
    case "replicating":
      return <ReplicatingServers projectId={blade.projectId} />;
    case "server":
      return <ServerDetail key={blade.itemId} projectId={blade.projectId} itemId={blade.itemId} />;
    case "jobs":
      return <Jobs projectId={blade.projectId} />;
    case "job":
      return <JobDetail key={blade.jobId} projectId={blade.projectId} jobId={blade.jobId} />;
    case "plans":
      return <RecoveryPlans projectId={blade.projectId} />;
    case "plan":
      return <PlanDetail key={blade.planId} projectId={blade.projectId} planId={blade.planId} />;
    case "vms":
      return <VirtualMachines projectId={blade.projectId} />;
  }
}
