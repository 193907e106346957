/**
 * Which files `m3v serve` exposes, and how a URL maps to one: `.m3v` designs, and the `.json` routing traces those
 * designs name (`routing trace "FILE"`) — no other JSON — under the folder it serves (`/files/…`, writable designs)
 * and under the samples shipped with m3v (`/samples/…`, read-only). Nothing in a dot-folder (`.git`, `.ssh`) is served.
 * Every URL is resolved segment by segment and must stay inside its root after symlinks are followed: nothing
 * else on the machine is readable through the server.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { MAX_DESIGN_BYTES, readRegularText } from '../../node/safeFiles';
import type { DesignEntry, DesignList } from '../../webviews/designer/designsApi';

export interface ServedRoots {
  /** The folder the user served (or the folder of the FILE they served). */
  workspace: string;
  /** The samples shipped with m3v, when present and not the workspace itself. */
  samples?: string;
  /** The FILE argument, opened first. */
  initialFile?: string;
}

const READABLE = new Set(['.m3v', '.json']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'test-results']);
/** A served folder can be a whole repository: the listing stops here rather than walk it all. */
export const MAX_LISTED = 500;
const MAX_DEPTH = 6;

function inside(realRoot: string, path: string): boolean {
  try {
    const real = realpathSync(path);
    return real === realRoot || real.startsWith(realRoot + sep);
  } catch {
    return false;
  }
}

function walk(root: string, dir: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH || out.length >= MAX_LISTED) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return; // unreadable folder: listed as nothing, not an error for the whole page
  }
  for (const name of names) {
    if (out.length >= MAX_LISTED) return;
    if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue;
    }
    // Symlinks out of the folder are not listed (and not served: resolveServedFile).
    if (!inside(realpathSync(root), path)) continue;
    if (isDir) walk(root, path, depth + 1, out);
    else if (name.endsWith('.m3v')) out.push(relative(root, path).split(sep).join('/'));
  }
}

const urlOf = (prefix: string, rel: string) => `${prefix}/${rel.split('/').map(encodeURIComponent).join('/')}`;

export function listServedDesigns(roots: ServedRoots): DesignList {
  const designs: DesignEntry[] = [];
  const own: string[] = [];
  walk(roots.workspace, roots.workspace, 0, own);
  for (const rel of own) designs.push({ url: urlOf('/files', rel), label: rel, group: 'workspace', writable: true });
  if (roots.samples) {
    const samples: string[] = [];
    walk(roots.samples, roots.samples, 0, samples);
    for (const rel of samples) designs.push({ url: urlOf('/samples', rel), label: rel, group: 'samples', writable: false });
  }
  const initialRel = roots.initialFile ? relative(roots.workspace, roots.initialFile).split(sep).join('/') : undefined;
  return { root: roots.workspace, designs, initial: initialRel ? urlOf('/files', initialRel) : undefined };
}

export type Resolved = { ok: true; file: string; writable: boolean } | { ok: false; status: number; error: string };

/** `/files/a/b.m3v` or `/samples/x.json` (the URL path, still percent-encoded) → a file inside its root. */
export function resolveServedFile(roots: ServedRoots, urlPath: string): Resolved {
  const [, namespace, ...encoded] = urlPath.split('/');
  const root = namespace === 'files' ? roots.workspace : namespace === 'samples' ? roots.samples : undefined;
  if (!root) return { ok: false, status: 404, error: `no such file: ${urlPath}` };
  const segments: string[] = [];
  for (const e of encoded) {
    let s: string;
    try {
      s = decodeURIComponent(e);
    } catch {
      return { ok: false, status: 400, error: `malformed path: ${urlPath}` };
    }
    if (s === '' || s === '.' || s === '..' || /[\\/\0]/.test(s)) return { ok: false, status: 400, error: `path not allowed: ${urlPath}` };
    // Dot-files and dot-folders (.git, .ssh, .env) are never served, whatever their extension.
    if (s.startsWith('.')) return { ok: false, status: 403, error: 'files and folders whose name starts with a dot are not served' };
    segments.push(s);
  }
  const file = resolve(root, ...segments);
  if (!READABLE.has(extname(file))) return { ok: false, status: 403, error: 'only .m3v designs and .json traces are served' };
  if (!existsSync(file)) return { ok: false, status: 404, error: `no such file: ${segments.join('/')}` };
  // Symlinks must not lead out of the root.
  const real = realpathSync(file);
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return { ok: false, status: 403, error: 'path leaves the served folder' };
  if (extname(file) === '.json' && !referencedTraces(root).has(real))
    return { ok: false, status: 403, error: 'only the routing traces that a served design names (routing trace "FILE") are served' };
  return { ok: true, file: real, writable: namespace === 'files' && extname(file) === '.m3v' };
}

const TRACE_REFERENCE = /\brouting\s+trace\s+"([^"\n]*)"/g;

/**
 * The real paths of the trace files the designs under `root` name, relative to each design. Read on each trace
 * request (the designs may have changed), bounded by the listing's MAX_LISTED designs of MAX_DESIGN_BYTES each.
 */
export function referencedTraces(root: string): Set<string> {
  const designs: string[] = [];
  walk(root, root, 0, designs);
  const out = new Set<string>();
  for (const rel of designs) {
    const design = join(root, ...rel.split('/'));
    let text: string;
    try {
      text = readRegularText(design, { maxBytes: MAX_DESIGN_BYTES, what: 'design' });
    } catch {
      continue;
    }
    for (const m of text.matchAll(TRACE_REFERENCE)) {
      try {
        out.add(realpathSync(resolve(dirname(design), m[1])));
      } catch {
        // a trace that does not exist is not served either
      }
    }
  }
  return out;
}
