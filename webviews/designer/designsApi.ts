/**
 * The designer page's view of `m3v serve`'s HTTP API (see cli/serve/routes.ts): the list of designs, a design's
 * text, and an explicit save. Edits live only in the page until the user saves (workspace designs) or downloads.
 */
export interface DesignEntry {
  /** The URL the design is read from and saved to; also the design's URI in the language services. */
  url: string;
  /** Path relative to its folder, shown to the user. */
  label: string;
  group: 'workspace' | 'samples';
  /** Samples shipped with m3v are read-only: save a copy with Download. */
  writable: boolean;
}

export interface DesignList {
  /** The folder `m3v serve` was started in (absolute; shown in the page header). */
  root: string;
  designs: DesignEntry[];
  /** The design to open first (the FILE argument of `m3v serve FILE`). */
  initial?: string;
}

/** The one header the server requires on a save: a cross-site form post cannot set it without a CORS preflight. */
export const SAVE_HEADER = 'X-M3V-Save';

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string };
    return body.error ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

export async function listDesigns(): Promise<DesignList> {
  const response = await fetch('/api/designs');
  if (!response.ok) throw new Error(`could not list designs: ${await errorText(response)}`);
  return (await response.json()) as DesignList;
}

export async function readDesign(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not open ${url}: ${await errorText(response)}`);
  return response.text();
}

export async function saveDesign(url: string, text: string): Promise<void> {
  const response = await fetch(url, { method: 'PUT', headers: { [SAVE_HEADER]: '1', 'Content-Type': 'text/plain; charset=utf-8' }, body: text });
  if (!response.ok) throw new Error(`could not save: ${await errorText(response)}`);
}
