import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

export interface Column<T> {
  title: string;
  cell(row: T): ComponentChildren;
}

/**
 * A grid: a table named for what it lists, one row per item whose first cell is the item's
 * name, and pages of `pageSize` rows when the list is long.
 */
export function DataTable<T>(props: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey(row: T): string;
  empty: string;
  pageSize?: number;
}) {
  const size = props.pageSize ?? 20;
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(props.rows.length / size));
  const current = Math.min(page, pages - 1);
  const shown = props.rows.slice(current * size, (current + 1) * size);
  return (
    <div class="grid">
      <table aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" key={column.title}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((column) => (
                <td key={column.title}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {props.rows.length === 0 ? <p class="empty">{props.empty}</p> : null}
      {pages > 1 ? (
        <nav class="pager" aria-label={`${props.label} pages`}>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous page
          </button>
          <span>
            Page {current + 1} of {pages}
          </span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next page
          </button>
        </nav>
      ) : null}
    </div>
  );
}
