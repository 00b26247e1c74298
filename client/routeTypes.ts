import type { z } from "zod";
import type { RouteResponse } from "../shared/api/routes";

/** What the client needs of a route: every entry of the shared table (shared/api/routes) fits. */
export interface ClientRoute {
  readonly name: string;
  readonly method: "get" | "post" | "patch" | "put" | "delete";
  readonly path: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly response: RouteResponse;
}

type Empty = Record<never, never>;

type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;

/** The `{name}` parameters of a route's path, less those a scoped client fills in itself. */
export type PathParams<R extends ClientRoute, Bound extends string = never> = {
  readonly [K in Exclude<ParamNames<R["path"]>, Bound>]: string;
};

type ParamArgs<R extends ClientRoute, Bound extends string> = keyof PathParams<R, Bound> extends never
  ? { params?: Empty }
  : { params: PathParams<R, Bound> };

type BodyArgs<R extends ClientRoute> = R extends { body: infer B extends z.ZodType }
  ? Empty extends z.input<B>
    ? { body?: z.input<B> }
    : { body: z.input<B> }
  : { body?: never };

type QueryArgs<R extends ClientRoute> = R extends { query: infer Q extends z.ZodType }
  ? { query?: z.input<Q> }
  : { query?: never };

/** A call's arguments: path parameters, body and query typed from the route's schemas. */
export type CallArgs<R extends ClientRoute, Bound extends string = never> = ParamArgs<R, Bound> &
  BodyArgs<R> &
  QueryArgs<R> & { signal?: AbortSignal };

/** Arguments may be left out when nothing in them is required. */
export type CallRest<R extends ClientRoute, Bound extends string = never> =
  Empty extends CallArgs<R, Bound> ? [args?: CallArgs<R, Bound>] : [args: CallArgs<R, Bound>];

/** One page of a list: `{ value, nextLink? }`. */
export interface ListPage<T> {
  value: T[];
  nextLink?: string;
}

/** A route whose answer is a list. */
export type ListRoute = ClientRoute & { readonly response: { readonly list: true } };

export type ItemOf<R extends ClientRoute> = R["response"] extends { list: true; schema: infer S extends z.ZodType }
  ? z.infer<S>
  : never;

/** The JSON a route answers with, as its schema describes it. */
export type ResponseOf<R extends ClientRoute> = R["response"] extends { list: true }
  ? ListPage<ItemOf<R>>
  : R["response"] extends { schema: infer S extends z.ZodType }
    ? z.infer<S>
    : unknown;
