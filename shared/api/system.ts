import * as z from "zod";
import { named } from "./common";

export const hostHealthSchema = named(
  "HostHealth",
  z.object({
    status: z.enum(["Healthy", "Unhealthy"]),
    storage: z.object({ reachable: z.boolean(), message: z.string().optional() }),
    versions: z.record(z.string(), z.string()),
  }),
);
export type HostHealth = z.infer<typeof hostHealthSchema>;
