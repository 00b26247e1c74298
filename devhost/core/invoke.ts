import { randomUUID } from "node:crypto";
import type {
  CoreInvocationContext,
  RpcBindingInfo,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  RpcParameterBinding,
  RpcTypedData,
} from "./contract";
import type { RegisteredFunction, WorkerState } from "./worker";
import { log } from "../log";

/** Supplies the value of a non-trigger input binding (for example `durableClient`). */
export type InputBindingProvider = (binding: RpcBindingInfo, functionName: string) => RpcTypedData;

export interface InvocationRequest {
  functionName: string;
  trigger: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
  /** The level of the "Executed" line of a run that succeeded: HTTP and timer runs say it elsewhere or not at all. */
  successLevel?: RpcLogLevel;
}

export function triggerOf(fn: RegisteredFunction): [string, RpcBindingInfo] {
  const entry = Object.entries(fn.metadata.bindings).find(([, b]) => /trigger$/i.test(b.type ?? ""));
  if (!entry) throw new Error(`Function "${fn.metadata.name}" has no trigger binding.`);
  return entry;
}

/**
 * Runs invocations the way the Node worker does: the programming model builds the
 * arguments, hooks run around the user callback, and the model shapes the response.
 */
export class Invoker {
  constructor(
    private readonly state: WorkerState,
    private readonly inputProviders: ReadonlyMap<string, InputBindingProvider>,
  ) {}

  /** Throws a clear error for any input binding this host cannot provide. */
  checkBindings(fn: RegisteredFunction): void {
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction !== "in" || /trigger$/i.test(binding.type ?? "")) continue;
      if (!this.inputProviders.has(binding.type ?? "")) {
        throw new Error(
          `Function "${fn.metadata.name}": input binding "${name}" of type "${binding.type}" ` +
            "is not supported by this host.",
        );
      }
    }
  }

  async invoke(request: InvocationRequest): Promise<RpcInvocationResponse> {
    const fn = this.state.functions.get(request.functionName);
    if (!fn) throw new Error(`No function named "${request.functionName}" is registered.`);
    const model = this.state.programmingModel;
    if (!model) throw new Error("The app registered no programming model (is @azure/functions loaded?).");
    const invocationId = request.invocationId ?? randomUUID();
    const started = process.hrtime.bigint();
    const coreCtx = this.coreContext(fn, invocationId, request);
    try {
      const invocation = await model.getInvocationModel(coreCtx);
      const { context, inputs } = await invocation.getArguments();
      const hookData: Record<string, unknown> = {};
      const pre = {
        invocationContext: context,
        inputs,
        functionCallback: fn.callback,
        hookData,
        appHookData: this.appHookData,
      };
      coreCtx.state = "preInvocationHooks";
      await this.state.runHooks("preInvocation", pre);
      coreCtx.state = "invocation";
      const post: Record<string, unknown> = {
        invocationContext: context,
        inputs: pre.inputs,
        hookData,
        appHookData: this.appHookData,
        result: null,
        error: null,
      };
      try {
        post.result = await invocation.invokeFunction(context, pre.inputs, pre.functionCallback);
      } catch (error) {
        post.error = error;
      }
      coreCtx.state = "postInvocationHooks";
      await this.state.runHooks("postInvocation", post);
      coreCtx.state = undefined;
      if (post.error) throw post.error;
      const response = await invocation.getResponse(context, post.result);
      this.logOutcome(fn, invocationId, started, request.successLevel ?? "information");
      return response;
    } catch (error) {
      this.logOutcome(fn, invocationId, started, "error", error);
      throw error;
    }
  }

  readonly appHookData: Record<string, unknown> = {};

  private coreContext(fn: RegisteredFunction, invocationId: string, request: InvocationRequest): CoreInvocationContext {
    const [triggerName] = triggerOf(fn);
    const inputData: RpcParameterBinding[] = [{ name: triggerName, data: request.trigger }];
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (name === triggerName || binding.direction !== "in") continue;
      const provide = this.inputProviders.get(binding.type ?? "");
      if (provide) inputData.push({ name, data: provide(binding, fn.metadata.name) });
    }
    const state = this.state;
    return {
      invocationId,
      metadata: fn.metadata,
      request: {
        invocationId,
        functionId: fn.metadata.name,
        inputData,
        triggerMetadata: request.triggerMetadata ?? {},
      },
      log(level: RpcLogLevel, category: RpcLogCategory, message: string) {
        const hookContext = { level, category, message, invocationContext: undefined, hookData: {}, appHookData: {} };
        for (const hook of state.hooks.get("log") ?? []) hook(hookContext);
        log(hookContext.level, `${fn.metadata.name}`, hookContext.message);
      },
    };
  }

  /** A failed run is logged as an error; a run that succeeded at `level`. */
  private logOutcome(fn: RegisteredFunction, id: string, started: bigint, level: RpcLogLevel, error?: unknown): void {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const reason = error instanceof Error ? `: ${error.message}` : "";
    const outcome = level === "error" ? "Failed" : "Succeeded";
    log(
      level,
      "host",
      `Executed 'Functions.${fn.metadata.name}' (${outcome}, Id=${id}, Duration=${ms.toFixed(1)}ms)${reason}`,
    );
  }
}
