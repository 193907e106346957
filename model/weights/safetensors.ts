/**
 * The safetensors file format (huggingface/safetensors, README "Format"): an 8-byte little-endian unsigned header
 * length N, N bytes of UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`,
 * then the byte buffer the offsets index (relative to the buffer's start, C order, little-endian).
 *
 * Pure: bytes in, bytes out (no `fs`), so the CLI, the extension host and a browser worker share it.
 * The reader is as strict as the reference Rust implementation (header ≤ 100 MB and starting with `{`, no duplicate
 * names, each range exactly dtype-size × elements, ranges that tile the buffer with no overlap and no hole), because a
 * weights file that breaks the format is more likely damaged than creative — and each problem is named.
 * Float tensors come back as float32: F32 as is, F16 / BF16 widened exactly, F64 rounded to the nearest float32.
 * Integer/bool tensors (e.g. BatchNorm's `num_batches_tracked`, I64) are listed without data: a caller decides
 * whether it needed one.
 */

/** A problem with the file itself; `message` is one line and names the tensor when there is one. */
export class SafetensorsError extends Error {}

export interface SafetensorsTensor {
  dtype: string;
  shape: number[];
  /** The values as float32 for F32/F16/BF16/F64; absent for integer, bool and 8-bit float dtypes. */
  data?: Float32Array;
}

export interface SafetensorsFile {
  /** In header order. */
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** Bytes per element of every dtype the format defines (safetensors `Dtype`). */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** The dtypes converted to float32 (the others are listed without data). */
export const FLOAT_DTYPES: readonly string[] = ['F32', 'F16', 'BF16', 'F64'];

/** The reference implementation's limit, which stops a hostile header from exhausting memory. */
const MAX_HEADER_BYTES = 100 * 1000 * 1000;

const fmt = (shape: number[]) => `[${shape.join(', ')}]`;

export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < 8) throw new SafetensorsError(`truncated file: ${bytes.byteLength} bytes, but a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // u64 little-endian; anything ≥ 2^32 is beyond any file we can hold, and avoids BigInt for the common case.
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerLength = high * 2 ** 32 + low;
  if (headerLength > bytes.byteLength - 8) {
    throw new SafetensorsError(`header length ${headerLength} bytes runs past the end of the file (${bytes.byteLength - 8} bytes follow the length; the file is truncated or not safetensors)`);
  }
  if (headerLength > MAX_HEADER_BYTES) throw new SafetensorsError(`header length ${headerLength} bytes exceeds the format's 100 MB limit`);
  if (headerLength < 2 || bytes[8] !== 0x7b /* { */) throw new SafetensorsError('the header is not a JSON object (it must start with "{")');

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new SafetensorsError(`the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('the header is not a JSON object');

  const bufferStart = 8 + headerLength;
  const bufferLength = bytes.byteLength - bufferStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of jsonEntries(bytes.subarray(8, 8 + headerLength), header as Record<string, unknown>)) {
    if (seen.has(name)) throw new SafetensorsError(`tensor '${name}' appears twice in the header`);
    seen.add(name);
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SafetensorsError('__metadata__ must be an object of strings');
      for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== 'string') throw new SafetensorsError(`__metadata__ '${key}' is not a string`);
        metadata[key] = value;
      }
      continue;
    }
    entries.push(parseEntry(name, raw, bufferLength));
  }

  // The ranges, in buffer order, must tile [0, bufferLength) exactly (the reference reader's rule).
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: string | undefined;
  for (const e of byOffset) {
    if (e.begin < cursor) throw new SafetensorsError(`tensor '${e.name}' (bytes ${e.begin}..${e.end}) overlaps '${previous}' (ends at ${cursor})`);
    if (e.begin > cursor) throw new SafetensorsError(`bytes ${cursor}..${e.begin} of the data buffer belong to no tensor (a hole before '${e.name}')`);
    cursor = e.end;
    previous = e.name;
  }
  if (cursor !== bufferLength) throw new SafetensorsError(`the data buffer has ${bufferLength} bytes but the tensors cover ${cursor} (trailing bytes belong to no tensor)`);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    const data = FLOAT_DTYPES.includes(e.dtype) ? toFloat32(e.dtype, bytes.subarray(bufferStart + e.begin, bufferStart + e.end)) : undefined;
    tensors.set(e.name, data ? { dtype: e.dtype, shape: e.shape, data } : { dtype: e.dtype, shape: e.shape });
  }
  return { tensors, metadata };
}

/**
 * The header's keys with their values. JSON.parse keeps only the last of duplicate keys, which the format forbids
 * (two names over one range is the classic aliasing trick), so the raw text is also scanned for repeated top-level keys.
 */
function jsonEntries(headerBytes: Uint8Array, header: Record<string, unknown>): [string, unknown][] {
  const keys = topLevelKeys(new TextDecoder().decode(headerBytes));
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const [k, n] of counts) if (n > 1) throw new SafetensorsError(`tensor '${k}' appears twice in the header`);
  return Object.entries(header);
}

/** Top-level object keys of valid JSON text (already parsed once, so the scan can trust its structure). */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(text.slice(i, j + 1)) as string);
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = depth === 1 && c === '{';
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

function parseEntry(name: string, raw: unknown, bufferLength: number) {
  if (typeof raw !== 'object' || raw === null) throw new SafetensorsError(`tensor '${name}': its header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) throw new SafetensorsError(`tensor '${name}': unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new SafetensorsError(`tensor '${name}': shape must be a list of whole numbers ≥ 0`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new SafetensorsError(`tensor '${name}': data_offsets must be [begin, end] with whole numbers ≥ 0`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) throw new SafetensorsError(`tensor '${name}': data_offsets [${begin}, ${end}] end before they begin`);
  if (end > bufferLength) throw new SafetensorsError(`tensor '${name}': data_offsets [${begin}, ${end}] lie outside the ${bufferLength}-byte data buffer (truncated file?)`);
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const needed = elements * DTYPE_BYTES[dtype];
  if (needed !== end - begin) {
    throw new SafetensorsError(`tensor '${name}': ${dtype} × ${fmt(shape as number[])} needs ${needed} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function toFloat32(dtype: string, raw: Uint8Array): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.byteLength / DTYPE_BYTES[dtype];
  // F32 on a little-endian host: one copy into a fresh (so 4-byte aligned) buffer is the whole conversion. The copy is
  // `new Uint8Array(raw)`, not `raw.slice()`, which on a Node Buffer is a view into a shared pool.
  if (dtype === 'F32' && LITTLE_ENDIAN_HOST) return new Float32Array(new Uint8Array(raw).buffer);
  const out = new Float32Array(n);
  if (dtype === 'F32') for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  else if (dtype === 'F64') for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true); // rounds to nearest float32
  else if (dtype === 'F16') for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  else {
    // BF16 is the top half of a float32: widening is a 16-bit shift, exact.
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true) << 16;
  }
  return out;
}

/** IEEE 754 binary16 → number, exactly (every half value is a float32 value). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export interface TensorToWrite {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * A float32 safetensors file of `tensors` in the given order, with optional `__metadata__`. The header is padded with
 * spaces to a multiple of 8 bytes, as the reference writer does, so the data buffer starts 8-byte aligned.
 */
export function writeSafetensors(tensors: TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const names = new Set<string>();
  for (const t of tensors) {
    if (t.name === '__metadata__' || names.has(t.name)) throw new SafetensorsError(`cannot write tensor '${t.name}': the name is reserved or repeated`);
    names.add(t.name);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new SafetensorsError(`cannot write tensor '${t.name}': shape ${fmt(t.shape)} holds ${count} values but ${t.data.length} were given`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.byteLength, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const t of tensors) {
    if (LITTLE_ENDIAN_HOST) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i], true);
    at += t.data.byteLength;
  }
  return out;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
