import { Disposable } from "./disposable";
import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
  RpcLogCategory,
  RpcLogLevel,
} from "./contract";
import { log } from "../log";

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

const hookNames: readonly HookName[] = ["preInvocation", "postInvocation", "appStart", "appTerminate", "log"];

/**
 * What the app registered through `@azure/functions-core`: functions, hooks, the programming
 * model. One per process, as in the real worker.
 */
export class WorkerState {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>(hookNames.map((name) => [name, []]));
  programmingModel: ProgrammingModel | undefined;
  appStarted = false;

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.appStarted) throw new Error("A function can't be registered after the app has started.");
    if (this.functions.has(metadata.name)) {
      throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
    }
    this.functions.set(metadata.name, { metadata, callback });
    return new Disposable(() => this.functions.delete(metadata.name));
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    const list = this.hooks.get(name as HookName);
    if (!list) throw new RangeError(`Unrecognized hook "${name}".`);
    list.push(callback);
    return new Disposable(() => list.splice(list.indexOf(callback), 1));
  }

  async runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    for (const hook of [...(this.hooks.get(name) ?? [])]) await hook(context);
  }
}

export const worker = new WorkerState();

/** The module object that `require("@azure/functions-core")` returns inside the host. */
export function coreApi(state: WorkerState, hostVersion: string) {
  return {
    version: hostVersion,
    hostVersion,
    Disposable,
    registerFunction: (metadata: FunctionMetadata, callback: FunctionCallback) =>
      state.registerFunction(metadata, callback),
    registerHook: (name: string, callback: HookCallback) => state.registerHook(name, callback),
    setProgrammingModel: (model: ProgrammingModel) => {
      state.programmingModel = model;
    },
    getProgrammingModel: () => state.programmingModel,
    log: (level: RpcLogLevel, category: RpcLogCategory, message: string) => log(level, category, message),
  };
}
