import { useEffect, useState } from "preact/hooks";

/**
 * The portal's blades live in the URL's fragment (#/projects/{p}/jobs/{j}), so the app serves
 * one page and a blade is a link that survives a reload.
 */
export type Blade =
  | { name: "projects" }
  | { name: "setup"; projectId: string }
  | { name: "overview"; projectId: string }
  | { name: "discovered"; projectId: string }
  | { name: "replicate"; projectId: string; machineId: string }
  | { name: "replicating"; projectId: string }
  | { name: "server"; projectId: string; itemId: string }
  | { name: "jobs"; projectId: string }
  | { name: "job"; projectId: string; jobId: string }
  | { name: "plans"; projectId: string }
  | { name: "plan"; projectId: string; planId: string }
  | { name: "vms"; projectId: string };

const sections: Record<string, Blade["name"]> = {
  "": "overview",
  setup: "setup",
  "discovered-servers": "discovered",
  "replicating-servers": "replicating",
  jobs: "jobs",
  "recovery-plans": "plans",
  "virtual-machines": "vms",
};

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseBlade(hash: string): Blade {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(safeDecode);
  const [root, projectId, section = "", id, action] = parts;
  if (root !== "projects" || projectId === undefined) return { name: "projects" };
  const name = sections[section];
  if (name === undefined) return { name: "overview", projectId };
  if (id === undefined) return { name, projectId } as Blade;
  if (name === "discovered" && action === "replicate") return { name: "replicate", projectId, machineId: id };
  if (name === "replicating") return { name: "server", projectId, itemId: id };
  if (name === "jobs") return { name: "job", projectId, jobId: id };
  if (name === "plans") return { name: "plan", projectId, planId: id };
  return { name, projectId } as Blade;
}

const segment = (value: string) => encodeURIComponent(value);

/** Links to blades, written in one place. */
export const href = {
  projects: () => "#/",
  project: (p: string, section = "") => `#/projects/${segment(p)}${section ? `/${section}` : ""}`,
  replicate: (p: string, m: string) => `#/projects/${segment(p)}/discovered-servers/${segment(m)}/replicate`,
  server: (p: string, i: string) => `#/projects/${segment(p)}/replicating-servers/${segment(i)}`,
  job: (p: string, j: string) => `#/projects/${segment(p)}/jobs/${segment(j)}`,
  plan: (p: string, r: string) => `#/projects/${segment(p)}/recovery-plans/${segment(r)}`,
};

export function useBlade(): Blade {
  const [blade, setBlade] = useState(() => parseBlade(location.hash));
  useEffect(() => {
    const changed = () => setBlade(parseBlade(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return blade;
}
