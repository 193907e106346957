/**
 * In-place DOM updates for the panels' update path (issue 12: keystroke → panel < 200 ms). A panel builds its
 * elements once and, on each new view, changes only the text and attributes that differ: no subtree is torn down,
 * so the browser re-lays out only what changed and chart canvases stay attached (chart.js does not re-measure them).
 * Pure DOM, no panel knowledge; the same structure as building afresh would give (rows straight under <table>).
 */

/** A table cell: its text, and optionally its class (e.g. a budget's status colour). */
export type Cell = string | { text: string; class: string };

export interface RowSpec {
  cells: Cell[];
  /** Attributes of the <tr> (data-*, class, title); attributes set by an earlier update and absent here are removed. */
  attrs?: Record<string, string>;
  /** Makes the row a link (class `link`, a tooltip); called on click. */
  onClick?: () => void;
}

export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

const managedAttrs = new WeakMap<Element, string[]>();

/** Sets exactly `attrs` among the attributes this function manages on `e` (others, like `id`, are left alone). */
export function setAttrs(e: Element, attrs: Record<string, string>): void {
  for (const name of managedAttrs.get(e) ?? []) if (!(name in attrs)) e.removeAttribute(name);
  for (const [name, value] of Object.entries(attrs)) if (e.getAttribute(name) !== value) e.setAttribute(name, value);
  managedAttrs.set(e, Object.keys(attrs));
}

const rowClicks = new WeakMap<HTMLTableRowElement, () => void>();

/** An empty table that patchTable fills; one click listener serves every link row it will ever have. */
export function tableElement(id: string): HTMLTableElement {
  const t = document.createElement('table');
  t.id = id;
  t.addEventListener('click', (event) => {
    const row = (event.target as Element | null)?.closest('tr');
    if (row) rowClicks.get(row)?.();
  });
  return t;
}

function patchCells(row: HTMLTableRowElement, tag: 'td' | 'th', cells: Cell[]): void {
  while (row.cells.length > cells.length) row.lastElementChild!.remove();
  cells.forEach((cell, i) => {
    let td = row.cells[i] as HTMLTableCellElement | undefined;
    if (!td || td.tagName.toLowerCase() !== tag) {
      const fresh = document.createElement(tag);
      if (td) td.replaceWith(fresh);
      else row.append(fresh);
      td = fresh;
    }
    const text = typeof cell === 'string' ? cell : cell.text;
    const cls = typeof cell === 'string' ? '' : cell.class;
    setText(td, text);
    if (td.className !== cls) td.className = cls;
  });
}

/** Makes `table` a header row of `head` and one row per spec, reusing the rows and cells it already has. */
export function patchTable(table: HTMLTableElement, head: string[], rows: RowSpec[]): HTMLTableElement {
  const want = rows.length + 1;
  while (table.rows.length > want) table.rows[table.rows.length - 1].remove();
  while (table.rows.length < want) table.append(document.createElement('tr'));
  patchCells(table.rows[0], 'th', head);
  rows.forEach((spec, i) => {
    const row = table.rows[i + 1];
    const attrs = { ...(spec.attrs ?? {}) };
    if (spec.onClick) {
      attrs.class = attrs.class ? `${attrs.class} link` : 'link';
      attrs.title ??= 'Reveal in the design';
      rowClicks.set(row, spec.onClick);
    } else rowClicks.delete(row);
    setAttrs(row, attrs);
    patchCells(row, 'td', spec.cells);
  });
  return table;
}

/**
 * Makes `container`'s children exactly `nodes`, in order, moving only those out of place (a node already where it
 * belongs is not touched, so a chart canvas inside it stays attached).
 */
export function placeChildren(container: Element, nodes: Node[]): void {
  nodes.forEach((node, i) => {
    const at = container.childNodes[i];
    if (at !== node) container.insertBefore(node, at ?? null);
  });
  while (container.childNodes.length > nodes.length) container.lastChild!.remove();
}

/**
 * Runs the latest scheduled job once the browser has painted (a frame, then a task), so what the panel patched
 * synchronously reaches the screen first. A newer `schedule` before that replaces the job (a burst of views costs
 * one run). A hidden webview gets no animation frames: a timer runs the job all the same.
 */
export class AfterPaint {
  private job: (() => void) | undefined;
  private generation = 0;

  constructor(private readonly fallbackMs = 250) {}

  get pending(): boolean {
    return this.job !== undefined;
  }

  schedule(job: () => void): void {
    const had = this.job !== undefined;
    this.job = job;
    if (had) return;
    const generation = ++this.generation;
    const run = () => {
      if (generation !== this.generation || !this.job) return;
      clearTimeout(timer);
      const j = this.job;
      this.job = undefined;
      this.generation++;
      j();
    };
    const timer = setTimeout(run, this.fallbackMs);
    requestAnimationFrame(() => setTimeout(run, 0));
  }

  /** Runs the pending job now (a theme change, an export that needs the charts drawn). */
  flush(): void {
    const j = this.job;
    this.job = undefined;
    this.generation++;
    j?.();
  }
}
