import net from "node:net";

/** True when nothing listens on `port` at `host`. */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** The preferred port when free, else 0 (the OS picks one). */
export async function preferredOrAny(port: number, host = "127.0.0.1"): Promise<number> {
  return (await portIsFree(port, host)) ? port : 0;
}
