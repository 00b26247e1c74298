import { odata } from "@azure/data-tables";
import type { InstanceMeta, RuntimeStatus } from "../runtime/instanceMeta";
import type { DurableStore } from "./durableStore";
import type { Entity } from "./instanceRows";
import { metaOf } from "./instanceRows";
import { instanceRowKey } from "./layout";

export interface InstanceFilter {
  runtimeStatus?: RuntimeStatus[];
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  instanceIdPrefix?: string;
}

export interface InstancePage {
  items: InstanceMeta[];
  continuationToken?: string;
}

function filterText(filter: InstanceFilter): string {
  const parts = [odata`RowKey eq ${instanceRowKey}`];
  if (filter.createdTimeFrom) parts.push(odata`CreatedTime ge ${filter.createdTimeFrom}`);
  if (filter.createdTimeTo) parts.push(odata`CreatedTime le ${filter.createdTimeTo}`);
  if (filter.runtimeStatus?.length)
    parts.push(`(${filter.runtimeStatus.map((s) => odata`RuntimeStatus eq ${s}`).join(" or ")})`);
  if (filter.instanceIdPrefix) {
    parts.push(
      odata`InstanceId ge ${filter.instanceIdPrefix}`,
      odata`InstanceId lt ${filter.instanceIdPrefix + "\uffff"}`,
    );
  }
  return parts.join(" and ");
}

/** One page of instance rows; the continuation token is the table's, opaque to callers. */
export async function queryInstances(
  store: DurableStore,
  filter: InstanceFilter,
  pageSize: number,
  continuationToken?: string,
  withTexts = true,
): Promise<InstancePage> {
  const pages = store.table
    .listEntities<Entity>({ queryOptions: { filter: filterText(filter) } })
    .byPage({ maxPageSize: pageSize, continuationToken });
  const next = await pages.next();
  if (next.done) return { items: [] };
  const page = next.value;
  const items = await Promise.all(page.map((row) => metaOf(store.container, row, withTexts)));
  return { items, continuationToken: page.continuationToken };
}

export async function* allInstances(
  store: DurableStore,
  filter: InstanceFilter,
  withTexts = false,
): AsyncGenerator<InstanceMeta> {
  const rows = store.table.listEntities<Entity>({ queryOptions: { filter: filterText(filter) } });
  for await (const row of rows) yield await metaOf(store.container, row, withTexts);
}
