/**
 * Reads the layering table of ARCHITECTURE.md (the `| folder | owns | may import |` table) into row → entries.
 * The *may import* cell is a comma-separated list of backticked entries, optionally followed by ` — ` and a reason
 * (free text, never read as entries); `nothing` is the empty list. Anything else in the list part is an error, so a
 * row cannot silently stop meaning what it says.
 */
export interface LayeringRow {
  row: string;
  owns: string;
  mayImport: string[];
}

const HEADER = '| folder | owns | may import |';

export function layeringRows(markdown: string): LayeringRow[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === HEADER);
  if (start < 0) throw new Error(`no '${HEADER}' table`);
  const rows: LayeringRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = splitCells(line);
    if (cells.length !== 3) throw new Error(`a row of the layering table has ${cells.length} cells, not 3: ${line.slice(0, 80)}`);
    const [folder, owns, mayImport] = cells;
    const key = /^`([^`]+)`$/.exec(folder);
    if (!key) throw new Error(`the folder cell must be one backticked path: ${folder}`);
    rows.push({ row: key[1], owns, mayImport: entriesOf(key[1], mayImport) });
  }
  return rows;
}

export function mayImportTable(markdown: string): Record<string, string[]> {
  return Object.fromEntries(layeringRows(markdown).map((r) => [r.row, r.mayImport]));
}

/** Cells of `| a | b | c |`; a `|` inside backticks (none today) would not split. */
function splitCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (const ch of line.trim().slice(1, -1)) {
    if (ch === '`') inCode = !inCode;
    if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

function entriesOf(row: string, cell: string): string[] {
  const dash = cell.indexOf(' — ');
  const list = (dash >= 0 ? cell.slice(0, dash) : cell).trim();
  if (!/^`[^`]+`(\s*,\s*`[^`]+`)*$/.test(list))
    throw new Error(`may import of \`${row}\`: '${list}' — only backticked entries, separated by commas, before the reason`);
  const entries = [...list.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  return entries.length === 1 && entries[0] === 'nothing' ? [] : entries;
}
