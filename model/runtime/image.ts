/**
 * Model inputs from files: a PNG or JPEG image (decoded, resized bilinearly to the design's input, then normalised as
 * the design's `normalize` key says — pixel/256 by default, what the Edge-MoE weights expect) or a raw
 * float32 tensor file of exactly C × H × W values (`.bin`, `.raw`, `.f32`). Also returns the resized image as PNG for
 * the Run panel.
 */
import { extname } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { presetNormalization, type InputNormalization } from '../../engine/design';
import { FileRefusal, MAX_IMAGE_FILE_BYTES, readRegularFile } from '../../node/safeFiles';

/**
 * Largest decoded image, in pixels: jpeg-js's own default cap (`maxResolutionInMP` 100), applied to PNG too, from
 * the header BEFORE decoding — an 874 KB PNG can declare 100000 × 100000 pixels (40 GB of RGBA).
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian), or undefined when the header is not PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export interface InputTensor {
  data: Float32Array;
  dims: [number, number, number];
  /** The image as the model sees it (resized), PNG-encoded; absent for raw tensors. */
  png?: Buffer;
}

export class InputError extends Error {}

const RAW = new Set(['.bin', '.raw', '.f32']);

/**
 * `normalize` applies to images only: a raw tensor is taken as already normalised. Omitted, it is pixel/256 (the
 * language's default), so callers without a design keep the Edge-MoE scaling.
 */
export function readInputTensor(
  path: string,
  channels: number,
  height: number,
  width: number,
  normalize: InputNormalization = presetNormalization('pixel_256', channels),
): InputTensor {
  const ext = extname(path).toLowerCase();
  let bytes: Buffer;
  try {
    // A raw tensor must be exactly C × H × W float32s: a bigger file is refused before it is read.
    const maxBytes = RAW.has(ext) ? channels * height * width * 4 : MAX_IMAGE_FILE_BYTES;
    bytes = readRegularFile(path, { maxBytes, what: 'input', because: RAW.has(ext) ? `a float32 tensor [${channels}, ${height}, ${width}] has ${maxBytes} bytes` : 'images are decoded in memory' });
  } catch (error) {
    if (error instanceof FileRefusal) throw new InputError(error.message);
    throw error;
  }
  if (RAW.has(ext)) {
    const expected = channels * height * width * 4;
    if (bytes.byteLength !== expected) {
      throw new InputError(`input '${path}' has ${bytes.byteLength} bytes; a float32 tensor [${channels}, ${height}, ${width}] has ${expected}`);
    }
    const data = new Float32Array(channels * height * width);
    for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(i * 4);
    return { data, dims: [channels, height, width] };
  }
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (ext === '.png') {
      const size = pngSize(bytes);
      if (size && size.width * size.height > MAX_IMAGE_PIXELS)
        throw new InputError(`input '${path}' is a ${size.width} × ${size.height} PNG (${size.width * size.height} pixels), over the limit of ${MAX_IMAGE_PIXELS} pixels; resize it first`);
      rgba = PNG.sync.read(bytes);
    } else if (ext === '.jpg' || ext === '.jpeg') rgba = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6 });
    else throw new InputError(`input '${path}': expected a .png, .jpg/.jpeg image or a raw float32 tensor (.bin, .raw, .f32)`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`input '${path}' is not a readable ${ext.slice(1).toUpperCase()} image (${(error as Error).message})`);
  }
  if (channels !== 3 && channels !== 1) throw new InputError(`the design's input has ${channels} channels; images give 1 or 3`);
  if (normalize.mean.length !== channels || normalize.std.length !== channels)
    throw new InputError(`the normalisation has ${normalize.mean.length} mean / ${normalize.std.length} std values for a ${channels}-channel input`);
  const data = new Float32Array(channels * height * width);
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    // Bilinear sampling at pixel centres.
    const sy = Math.min(rgba.height - 1, Math.max(0, ((y + 0.5) * rgba.height) / height - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(rgba.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(rgba.width - 1, Math.max(0, ((x + 0.5) * rgba.width) / width - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(rgba.width - 1, x0 + 1);
      const fx = sx - x0;
      const rgb = [0, 1, 2].map((c) => {
        const at = (yy: number, xx: number) => rgba.data[(yy * rgba.width + xx) * 4 + c];
        return (at(y0, x0) * (1 - fx) + at(y0, x1) * fx) * (1 - fy) + (at(y1, x0) * (1 - fx) + at(y1, x1) * fx) * fy;
      });
      const values = channels === 3 ? rgb : [(rgb[0] + rgb[1] + rgb[2]) / 3];
      // Rounded to a whole pixel first, as a decoded 8-bit image would be, then normalised.
      values.forEach((v, c) => (data[(c * height + y) * width + x] = (Math.round(v) / normalize.divideBy - normalize.mean[c]) / normalize.std[c]));
      const o = (y * width + x) * 4;
      out.data[o] = Math.round(rgb[0]);
      out.data[o + 1] = Math.round(channels === 3 ? rgb[1] : rgb[0]);
      out.data[o + 2] = Math.round(channels === 3 ? rgb[2] : rgb[0]);
      out.data[o + 3] = 255;
    }
  }
  return { data, dims: [channels, height, width], png: PNG.sync.write(out) };
}

/** A fixed, distinguishable palette for class maps (class c → colour c mod 20). */
const PALETTE = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180], [70, 240, 240],
  [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [220, 190, 255], [170, 110, 40], [255, 250, 200],
  [128, 0, 0], [170, 255, 195], [128, 128, 0], [255, 215, 180], [0, 0, 128], [128, 128, 128],
];

/**
 * A task's prediction [N, H, W] as PNG: for classes, the arg-max class per pixel in the palette; for channels, the
 * first channel scaled from its minimum to its maximum in grey.
 */
export function predictionPng(data: Float32Array, dims: number[], output: 'classes' | 'channels'): Buffer {
  const [N, H, W] = dims;
  const png = new PNG({ width: W, height: H });
  let min = Infinity;
  let max = -Infinity;
  if (output === 'channels') {
    for (let i = 0; i < H * W; i++) {
      min = Math.min(min, data[i]);
      max = Math.max(max, data[i]);
    }
  }
  for (let i = 0; i < H * W; i++) {
    let rgb: number[];
    if (output === 'classes') {
      let best = 0;
      for (let c = 1; c < N; c++) if (data[c * H * W + i] > data[best * H * W + i]) best = c;
      rgb = PALETTE[best % PALETTE.length];
    } else {
      const v = max > min ? Math.round((255 * (data[i] - min)) / (max - min)) : 128;
      rgb = [v, v, v];
    }
    png.data.set([...rgb, 255], i * 4);
  }
  return PNG.sync.write(png);
}
