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
  /** The decoded image's own size and where it was placed in the model's input (absent for raw tensors). */
  placement?: ImagePlacement;
}

/**
 * How an image of another aspect ratio meets the model's input: `stretch` resizes each axis on its own (the shape
 * changes), `letterbox` keeps the aspect ratio, centres the image and fills the rest with the normalisation's mean
 * (a zero input, the value a zero-padded tensor would hold).
 */
export type ImageFit = 'stretch' | 'letterbox';
export const IMAGE_FITS: readonly ImageFit[] = ['stretch', 'letterbox'];

export interface ImagePlacement {
  fit: ImageFit;
  sourceWidth: number;
  sourceHeight: number;
  /** The rectangle of the model's input (pixels) the image covers; the whole input for `stretch`. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where an image of `sw` × `sh` lands in a `width` × `height` input under `fit`. Pure. */
export function placeImage(sw: number, sh: number, width: number, height: number, fit: ImageFit): ImagePlacement {
  if (fit === 'stretch') return { fit, sourceWidth: sw, sourceHeight: sh, x: 0, y: 0, width, height };
  const scale = Math.min(width / sw, height / sh);
  const w = Math.max(1, Math.min(width, Math.round(sw * scale)));
  const h = Math.max(1, Math.min(height, Math.round(sh * scale)));
  return { fit, sourceWidth: sw, sourceHeight: sh, x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), width: w, height: h };
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
  fit: ImageFit = 'stretch',
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
  const place = placeImage(rgba.width, rgba.height, width, height, fit);
  // Letterbox padding: the mean of each channel, i.e. 0 after normalisation; shown as that colour in the PNG.
  const padRgb = [0, 1, 2].map((c) => Math.max(0, Math.min(255, Math.round(normalize.mean[Math.min(c, channels - 1)] * normalize.divideBy))));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const inside = x >= place.x && x < place.x + place.width && y >= place.y && y < place.y + place.height;
      if (!inside) {
        for (let c = 0; c < channels; c++) data[(c * height + y) * width + x] = 0;
        out.data.set([padRgb[0], channels === 3 ? padRgb[1] : padRgb[0], channels === 3 ? padRgb[2] : padRgb[0], 255], o);
        continue;
      }
      // Bilinear sampling at pixel centres, within the placed rectangle.
      const sy = Math.min(rgba.height - 1, Math.max(0, ((y - place.y + 0.5) * rgba.height) / place.height - 0.5));
      const y0 = Math.floor(sy);
      const y1 = Math.min(rgba.height - 1, y0 + 1);
      const fy = sy - y0;
      const sx = Math.min(rgba.width - 1, Math.max(0, ((x - place.x + 0.5) * rgba.width) / place.width - 0.5));
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
      out.data[o] = Math.round(rgb[0]);
      out.data[o + 1] = Math.round(channels === 3 ? rgb[1] : rgb[0]);
      out.data[o + 2] = Math.round(channels === 3 ? rgb[2] : rgb[0]);
      out.data[o + 3] = 255;
    }
  }
  return { data, dims: [channels, height, width], png: PNG.sync.write(out), placement: place };
}

/** A fixed, distinguishable palette for class maps (class c → colour c mod 20); the Run panel's legend shows it. */
export const CLASS_PALETTE: readonly (readonly [number, number, number])[] = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180], [70, 240, 240],
  [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [220, 190, 255], [170, 110, 40], [255, 250, 200],
  [128, 0, 0], [170, 255, 195], [128, 128, 0], [255, 215, 180], [0, 0, 128], [128, 128, 128],
];

/**
 * A task's prediction [N, H, W] as PNG: for classes, the arg-max class per pixel in the palette; for channels, the
 * first channel scaled from its minimum to its maximum in grey.
 */
export function predictionPng(data: Float32Array, dims: number[], output: 'classes' | 'channels'): Buffer {
  const [, H, W] = dims;
  const png = new PNG({ width: W, height: H });
  const key = output === 'channels' ? predictionKey(data, dims, output) : undefined;
  const classes = output === 'classes' ? argMaxClasses(data, dims) : undefined;
  for (let i = 0; i < H * W; i++) {
    let rgb: readonly number[];
    if (classes) rgb = CLASS_PALETTE[classes[i] % CLASS_PALETTE.length];
    else {
      const { min, max } = key as Extract<PredictionKey, { kind: 'channels' }>;
      const v = max > min ? Math.round((255 * (data[i] - min)) / (max - min)) : 128;
      rgb = [v, v, v];
    }
    png.data.set([...rgb, 255], i * 4);
  }
  return PNG.sync.write(png);
}

/** The arg-max class of every pixel of a [N, H, W] prediction (the class map the PNG draws). */
function argMaxClasses(data: Float32Array, dims: number[]): Uint16Array {
  const [N, H, W] = dims;
  const classes = new Uint16Array(H * W);
  for (let i = 0; i < H * W; i++) {
    let best = 0;
    for (let c = 1; c < N; c++) if (data[c * H * W + i] > data[best * H * W + i]) best = c;
    classes[i] = best;
  }
  return classes;
}

export type PredictionKey =
  /** Every class the map can show, its colour in the PNG (`#rrggbb`) and the pixels predicted as it. */
  | { kind: 'classes'; classes: { class: number; colour: string; pixels: number }[] }
  /** The grey ramp of the first channel: black is `min`, white is `max`. */
  | { kind: 'channels'; channel: number; min: number; max: number };

/** What the prediction PNG's colours mean: the class legend, or the range of the regression's grey ramp. */
export function predictionKey(data: Float32Array, dims: number[], output: 'classes' | 'channels'): PredictionKey {
  const [N, H, W] = dims;
  if (output === 'classes') {
    const pixels = new Array<number>(N).fill(0);
    for (const c of argMaxClasses(data, dims)) pixels[c]++;
    const hex = (rgb: readonly number[]) => '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
    return { kind: 'classes', classes: pixels.map((p, c) => ({ class: c, colour: hex(CLASS_PALETTE[c % CLASS_PALETTE.length]), pixels: p })) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < H * W; i++) {
    min = Math.min(min, data[i]);
    max = Math.max(max, data[i]);
  }
  return { kind: 'channels', channel: 0, min, max };
}
