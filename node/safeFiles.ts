/**
 * The one place Node reads a user-named input file or writes an output (docs/limits.md). Used by the CLI, the
 * language server's trace loading, `m3v serve` and the Edge-MoE weights folder reader, so every face refuses the same
 * hostile paths with the same message:
 * - reading: only a regular file, opened without blocking (a FIFO would wait forever for a writer), its size
 *   checked against the caller's limit from `fstat` BEFORE a byte is read (`/dev/zero`, a 3 GB tensor), and read
 *   through the same descriptor (no check-then-open race);
 * - writing: never onto an input of the same command, never onto something that is not a regular file (renaming
 *   over `/dev/null` would replace the device), and atomically — a temporary file in the same folder, fsync,
 *   rename — so a full disk leaves the old file whole. An existing file keeps its permission bits.
 */
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';

/** A path the user named that is refused; faces print `message` as one line (the CLI exits 2). */
export class FileRefusal extends Error {}

/** Routing traces are JSON of a few numbers per token and layer; 64 MiB holds 2 M tokens × 12 layers × top-2. */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024;
/** Designs are small text files; a bigger "design" is a mistake (also the `m3v serve` save limit). */
export const MAX_DESIGN_BYTES = 4 * 1024 * 1024;
/** Input images (PNG/JPEG files before decoding; decoded pixels are capped separately in image.ts). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

const code = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** What a non-regular file is, for the message. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Binary units for messages: `3.00 GiB`. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(2)} ${units[u]}`;
}

export interface ReadLimit {
  /** Largest size accepted, in bytes. */
  maxBytes: number;
  /** What the file is, for messages: `routing trace`, `tensor l0_fc1_w`. */
  what: string;
  /** Why the limit is what it is, appended to the refusal (`the shape [192, 384] needs 294912 bytes`). */
  because?: string;
}

/**
 * The bytes of a regular file of at most `limit.maxBytes`. Throws `FileRefusal` (one line, naming the path) for a
 * missing or unreadable path, a directory, FIFO, device or socket (symlinks are followed: a link to `/dev/zero` is a
 * device), or a file over the limit.
 */
export function readRegularFile(path: string, limit: ReadLimit): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer; fstat then refuses it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const c = code(error);
    throw new FileRefusal(`cannot read ${limit.what} '${path}' (${c})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileRefusal(`${limit.what} '${path}' is ${fileKind(stats)}, not a regular file`);
    if (stats.size > limit.maxBytes)
      throw new FileRefusal(`${limit.what} '${path}' is ${formatSize(stats.size)}, over the limit of ${formatSize(limit.maxBytes)}${limit.because ? ` (${limit.because})` : ''}`);
    const out = Buffer.allocUnsafe(stats.size);
    let got = 0;
    // The size is from fstat; a file that grows meanwhile is read up to it, one that shrinks up to its end.
    while (got < out.length) {
      const n = readSync(fd, out, got, out.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return got === out.length ? out : out.subarray(0, got);
  } catch (error) {
    if (error instanceof FileRefusal) throw error;
    throw new FileRefusal(`cannot read ${limit.what} '${path}' (${code(error)})`);
  } finally {
    closeSync(fd);
  }
}

/** `readRegularFile` as UTF-8 text. */
export function readRegularText(path: string, limit: ReadLimit): string {
  return readRegularFile(path, limit).toString('utf8');
}

/** The routing trace named by a design (`routing trace "FILE"`), as text, capped at `MAX_TRACE_BYTES`. */
export function readTraceText(path: string): string {
  return readRegularText(path, { maxBytes: MAX_TRACE_BYTES, what: 'routing trace', because: 'a routing trace is a few numbers per token and layer' });
}

/** A file's identity (device + inode) when it exists, to compare paths that differ only by links or spelling. */
function identity(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** The canonical path of a file that may not exist yet: its folder's real path + its name. */
function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

export interface NamedPath {
  /** How the user named it: `--trace`, `-o`, `the design file`. */
  label: string;
  path: string;
}

/**
 * Refuses a command whose outputs overwrite one of its inputs (`-o design.m3v`, `--trace` naming the design) or each
 * other (`--trace x --features x`): the same canonical path or the same file through a hard link. Checked before
 * any work, so nothing is written.
 */
export function refuseOutputsOverInputs(outputs: readonly NamedPath[], inputs: readonly NamedPath[]): void {
  const seen: { label: string; path: string; canon: string; id?: string }[] = inputs.map((i) => ({ ...i, canon: canonical(i.path), id: identity(i.path) }));
  for (const o of outputs) {
    let existing: Stats | undefined;
    try {
      existing = statSync(o.path);
    } catch {
      existing = undefined; // a new file
    }
    if (existing && !existing.isFile()) throw new FileRefusal(`${o.label} '${o.path}' is ${fileKind(existing)}, not a regular file: refusing to replace it`);
    const canon = canonical(o.path);
    const id = identity(o.path);
    const clash = seen.find((s) => s.canon === canon || (id !== undefined && s.id === id));
    if (clash) throw new FileRefusal(`${o.label} '${o.path}' is ${clash.label} '${clash.path}': refusing to overwrite it; name another output file`);
    seen.push({ label: `the ${o.label} output`, path: o.path, canon, id });
  }
}

/**
 * Writes `data` to `path` atomically: a temporary file in the same folder (same file system, so the rename is
 * atomic), written in full, fsynced, then renamed over the target; the folder is fsynced too where the platform
 * allows. On any failure the temporary file is removed and the old file is untouched. An existing target must be a
 * regular file, and keeps its permission bits exactly (a 0600 design stays 0600); a new file gets 0644 less the umask.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what = 'output'): void {
  let mode = 0o644;
  let keepMode = false;
  try {
    const existing = statSync(path);
    if (!existing.isFile()) throw new FileRefusal(`${what} '${path}' is ${fileKind(existing)}, not a regular file: refusing to replace it`);
    mode = existing.mode & 0o777;
    keepMode = true;
  } catch (error) {
    if (error instanceof FileRefusal) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new FileRefusal(`cannot write ${what} '${path}' (${code(error)})`);
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temporary = join(dirname(resolve(path)), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // `wx`: never follow or reuse a file someone planted at the temporary name.
    fd = openSync(temporary, 'wx', mode);
    if (keepMode) fchmodSync(fd, mode); // the open's mode is masked by the umask; the old file's bits are not
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // already renamed or never created
    }
    throw new FileRefusal(`cannot write ${what} '${path}' (${code(error)}); the previous file, if any, is unchanged`);
  }
  try {
    const dir = openSync(dirname(resolve(path)), constants.O_RDONLY);
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename itself is already atomic.
  }
}
