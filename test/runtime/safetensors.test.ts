/**
 * The safetensors reader and writer (model/weights/safetensors.ts): a round trip, a file assembled byte by byte from
 * the format's description (an independent check of the reader: values hand-derived from the IEEE encodings), a file
 * written by the real Python `safetensors` library when it is installed, and every malformed-file error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { halfToFloat, readSafetensors, SafetensorsError, writeSafetensors } from '../../model/weights/safetensors';

/** 8-byte little-endian length, the header text as given (padding included), then the buffer. */
function assemble(headerText: string, buffer: number[] | Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + header.length + buffer.length);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 8);
  out.set(buffer, 8 + header.length);
  return out;
}

const bytesOf = (typed: { buffer: ArrayBufferLike }) => Array.from(new Uint8Array(typed.buffer));

test('round trip: names, shapes, metadata and bit-identical float32 values; header padded with spaces to 8 bytes', () => {
  const a = Float32Array.from([1.5, -2.25, 3e-8, 65504, -0, Number.MIN_VALUE]);
  const b = Float32Array.from([Math.fround(Math.PI)]);
  const c = new Float32Array(0);
  const bytes = writeSafetensors(
    [
      { name: 'a', shape: [2, 3], data: a },
      { name: 'scalar', shape: [], data: b },
      { name: 'empty', shape: [0, 4], data: c },
    ],
    { format: 'pt', note: 'x' },
  );
  const n = new DataView(bytes.buffer).getUint32(0, true);
  assert.equal(new DataView(bytes.buffer).getUint32(4, true), 0);
  assert.equal(n % 8, 0);
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.match(header, /^\{.*\} *$/);
  assert.equal(bytes.byteLength, 8 + n + (6 + 1) * 4);

  const read = readSafetensors(bytes);
  assert.deepEqual(read.metadata, { format: 'pt', note: 'x' });
  assert.deepEqual([...read.tensors.keys()], ['a', 'scalar', 'empty']);
  assert.deepEqual(read.tensors.get('a')!.shape, [2, 3]);
  assert.equal(read.tensors.get('a')!.dtype, 'F32');
  assert.deepEqual(bytesOf(read.tensors.get('a')!.data!), bytesOf(a));
  assert.deepEqual(read.tensors.get('scalar')!.shape, []);
  assert.deepEqual(Array.from(read.tensors.get('scalar')!.data!), [Math.fround(Math.PI)]);
  assert.equal(read.tensors.get('empty')!.data!.length, 0);

  // A Node Buffer from a small file sits at an odd offset in a shared pool: the values must still be this file's.
  const pooled = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(bytes)]).subarray(3);
  assert.deepEqual(bytesOf(readSafetensors(pooled).tensors.get('a')!.data!), bytesOf(a));
});

test('the writer refuses a shape that does not hold the data, and a repeated name', () => {
  assert.throws(() => writeSafetensors([{ name: 'w', shape: [2, 2], data: new Float32Array(3) }]), /'w': shape \[2, 2\] holds 4 values but 3 were given/);
  assert.throws(() => writeSafetensors([{ name: 'w', shape: [1], data: new Float32Array(1) }, { name: 'w', shape: [1], data: new Float32Array(1) }]), /'w'/);
});

test('a hand-assembled file: F16, BF16 and F64 become float32; an I64 tensor is listed without data', () => {
  // F16: 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (largest half), 0x0001 = 2^-24 (smallest subnormal), 0x3555 = 1365/4096.
  const f16 = [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x55, 0x35, 0x00, 0xfc]; // last: 0xFC00 = -Infinity
  // BF16: 0x3F80 = 1, 0x4049 = 3.140625, 0xC2F7 = -123.5 (top 16 bits of the float32s).
  const bf16 = [0x80, 0x3f, 0x49, 0x40, 0xf7, 0xc2];
  const f64 = bytesOf(Float64Array.from([0.1, 2.5]));
  const i64 = bytesOf(BigInt64Array.from([7n]));
  const f32 = bytesOf(Float32Array.from([0.5, -0.75]));
  const buffer = [...f16, ...bf16, ...f64, ...i64, ...f32];
  let offset = 0;
  const range = (length: number) => `[${offset}, ${(offset += length)}]`;
  const header =
    `{"__metadata__":{"format":"pt"},` +
    `"h":{"dtype":"F16","shape":[2,3],"data_offsets":${range(12)}},` +
    `"b":{"dtype":"BF16","shape":[3],"data_offsets":${range(6)}},` +
    `"d":{"dtype":"F64","shape":[1,2],"data_offsets":${range(16)}},` +
    `"model.bn.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":${range(8)}},` +
    `"f":{"dtype":"F32","shape":[2],"data_offsets":${range(8)}}}`;
  const read = readSafetensors(assemble(header + '   ', buffer)); // trailing spaces, as the reference writer pads

  assert.deepEqual(Array.from(read.tensors.get('h')!.data!), [1, -2, 65504, 2 ** -24, 1365 / 4096, -Infinity]);
  assert.deepEqual(read.tensors.get('h')!.shape, [2, 3]);
  assert.deepEqual(Array.from(read.tensors.get('b')!.data!), [1, 3.140625, -123.5]);
  assert.deepEqual(Array.from(read.tensors.get('d')!.data!), [Math.fround(0.1), 2.5]);
  assert.deepEqual(read.tensors.get('model.bn.num_batches_tracked'), { dtype: 'I64', shape: [] });
  assert.deepEqual(Array.from(read.tensors.get('f')!.data!), [0.5, -0.75]);
  assert.deepEqual(read.metadata, { format: 'pt' });
});

test('halfToFloat covers zero, subnormals, normals, infinities and NaN', () => {
  assert.equal(halfToFloat(0x0000), 0);
  assert.ok(Object.is(halfToFloat(0x8000), -0));
  assert.equal(halfToFloat(0x03ff), 1023 * 2 ** -24); // largest subnormal
  assert.equal(halfToFloat(0x0400), 2 ** -14); // smallest normal
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
});

const hasPythonSafetensors = spawnSync('python3', ['-c', 'import safetensors.numpy, numpy'], { stdio: 'ignore' }).status === 0;

test('reads a file written by the Python safetensors library', { skip: !hasPythonSafetensors && 'python3 safetensors is not installed' }, () => {
  const path = join(mkdtempSync(join(tmpdir(), 'm3v-st-')), 'py.safetensors');
  const script = `import numpy as np, sys
from safetensors.numpy import save_file
save_file({"w": np.arange(6, dtype=np.float32).reshape(2, 3) / 4, "h": np.array([1.5, -3], dtype=np.float16), "n": np.array(9, dtype=np.int64)}, sys.argv[1], metadata={"k": "v"})`;
  const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const read = readSafetensors(new Uint8Array(readFileSync(path)));
  assert.deepEqual(Array.from(read.tensors.get('w')!.data!), [0, 0.25, 0.5, 0.75, 1, 1.25]);
  assert.deepEqual(read.tensors.get('w')!.shape, [2, 3]);
  assert.deepEqual(Array.from(read.tensors.get('h')!.data!), [1.5, -3]);
  assert.equal(read.tensors.get('n')!.data, undefined);
  assert.deepEqual(read.metadata, { k: 'v' });
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

test('our file read by Python with only json + numpy, following the format description', { skip: !hasNumpy && 'python3 numpy is not installed' }, () => {
  const path = join(mkdtempSync(join(tmpdir(), 'm3v-st-')), 'ours.safetensors');
  writeFileSync(path, writeSafetensors([{ name: 'w', shape: [2, 3], data: Float32Array.from([0, 0.25, -0.5, 1e-3, 7, -8]) }, { name: 'b', shape: [1], data: Float32Array.from([3]) }], { format: 'pt' }));
  const script = `import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
assert n % 8 == 0 and raw[8:8 + n].decode().rstrip(' ').endswith('}')
header = json.loads(raw[8:8 + n])
buf = raw[8 + n:]
out = {'metadata': header.pop('__metadata__')}
for name, e in header.items():
    a, b = e['data_offsets']
    out[name] = np.frombuffer(buf[a:b], dtype='<f4').reshape(e['shape']).astype(float).tolist()
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { metadata: { format: 'pt' }, w: [[0, 0.25, -0.5], [Math.fround(1e-3), 7, -8]], b: [3] });
});

test('malformed files are refused with a message naming the problem', () => {
  const ok = writeSafetensors([
    { name: 'x', shape: [4], data: new Float32Array(4) },
    { name: 'y', shape: [2], data: new Float32Array(2) },
  ]);
  const err = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(
      () => readSafetensors(bytes),
      (e: unknown) => e instanceof SafetensorsError && pattern.test(e.message) && !e.message.includes('\n'),
    );

  err(new Uint8Array(5), /truncated file: 5 bytes, but a safetensors file starts with an 8-byte header length/);
  err(ok.subarray(0, 20), /header length \d+ bytes runs past the end of the file \(12 bytes follow the length/);
  err(ok.subarray(0, ok.byteLength - 4), /tensor 'y': data_offsets \[16, 24\] lie outside the 20-byte data buffer/);
  err(assemble('{"x": {"dtype": "F32", ', []), /header is not valid UTF-8 JSON/);
  err(assemble('[1, 2]', []), /not a JSON object/);
  err(assemble('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Array(8).fill(0)), /tensor 'y' \(bytes 4\.\.8\) overlaps 'x'/);
  err(assemble('{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Array(8).fill(0)), /tensor 'x': F32 × \[3\] needs 12 bytes but data_offsets \[0, 8\] hold 8/);
  err(assemble('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Array(8).fill(0)), /bytes 0\.\.4 of the data buffer belong to no tensor/);
  err(assemble('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Array(8).fill(0)), /the data buffer has 8 bytes but the tensors cover 4/);
  err(assemble('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Array(4).fill(0)), /tensor 'x' appears twice/);
  err(assemble('{"x":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}', [0]), /tensor 'x': unknown dtype "Q4"/);
  err(assemble('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /tensor 'x': shape must be/);
  err(assemble('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', [0, 0, 0, 0]), /end before they begin/);
  err(assemble('{"__metadata__":{"n":1}}', []), /__metadata__ 'n' is not a string/);
  // A length whose high word is set: far beyond the file.
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setUint32(4, 1, true);
  err(huge, /header length 4294967296 bytes runs past the end of the file/);
});
