import { RestError, type BlobServiceClient, type ContainerClient } from "@azure/storage-blob";

/** Where one blob lives. */
export interface BlobRef {
  container: string;
  name: string;
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

export function codeOf(error: unknown): string | undefined {
  return error instanceof RestError ? error.code : undefined;
}

/** Container clients, each container created once per process on first use. */
export class Containers {
  private readonly created = new Map<string, Promise<void>>();

  constructor(private readonly service: BlobServiceClient) {}

  async get(name: string): Promise<ContainerClient> {
    const client = this.service.getContainerClient(name);
    let ready = this.created.get(name);
    if (ready === undefined) {
      ready = client.createIfNotExists().then(() => undefined);
      ready.catch(() => this.created.delete(name));
      this.created.set(name, ready);
    }
    await ready;
    return client;
  }

  /** Without creating: for reads and deletes, where a missing container just means nothing is there. */
  peek(name: string): ContainerClient {
    return this.service.getContainerClient(name);
  }
}
