import type { ServerResponse } from "node:http";

export interface ResponseHold {
  /** From now on, what the app writes to the response is dropped: the host answers instead. */
  hold(): void;
  /** The response is the host's again, to answer with. */
  release(): void;
}

/**
 * Lets the host take a response back from the app that is writing it. Once a body went over the
 * host's limit, the app's answer to its failed read (often a 500) must not reach the client.
 */
export function responseHold(res: ServerResponse): ResponseHold {
  const own = { setHeader: res.setHeader, writeHead: res.writeHead, write: res.write, end: res.end };
  return {
    hold() {
      res.setHeader = () => res;
      res.writeHead = () => res;
      res.write = () => true;
      res.end = () => res;
    },
    release() {
      Object.assign(res, own);
    },
  };
}
