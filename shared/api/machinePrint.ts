/**
 * The machine fingerprint an agent signs into every request (header `x-ferry-fingerprint`): the
 * facts that tell one machine from another, so a key used from a second machine — a cloned VM,
 * a copied state directory — is recognised. `id` and `boot` are hashes (the machine id should not
 * leave the machine as it is); `host` is the operating system's hostname.
 */
import * as z from "zod";

export const machinePrintSchema = z.strictObject({
  /** The operating system's hostname. */
  host: z.string().min(1).max(255),
  /** Hash of the SMBIOS UUID and /etc/machine-id, when the agent can read either. */
  id: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  /** Hash of the kernel's boot id: a new one at every boot. */
  boot: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
});
export type MachinePrint = z.infer<typeof machinePrintSchema>;

/** The longest header value a valid print encodes to. */
export const MAX_PRINT_HEADER_CHARS = 600;

export function encodeMachinePrint(print: MachinePrint): string {
  return Buffer.from(JSON.stringify(print)).toString("base64url");
}

/** The print a header carries; undefined when it is not one. */
export function decodeMachinePrint(header: string): MachinePrint | undefined {
  if (header.length > MAX_PRINT_HEADER_CHARS || !/^[A-Za-z0-9_-]+$/.test(header)) return undefined;
  try {
    const parsed = machinePrintSchema.safeParse(JSON.parse(Buffer.from(header, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
