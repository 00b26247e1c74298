import * as z from "zod";
import { named, timeSchema } from "./common";

export const downloadLinkSchema = named(
  "DownloadLink",
  z.object({
    /** GET it without a key: the signed token in it names one disk and expires. */
    url: z.string(),
    expiresAt: timeSchema,
  }),
  "A short-lived link to one disk's fixed VHD.",
);
export type DownloadLink = z.infer<typeof downloadLinkSchema>;
