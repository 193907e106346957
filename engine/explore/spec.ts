/**
 * The checked `explore NAME { … }` block: a design space around the design, as the language lowers it. Every value is
 * resolved (SI units, typed formats) and keeps the text it was written with, so a point can be reported — and written
 * back into a `.m3v` file — exactly as the user would write it.
 *
 * Pure data (JSON-safe, structured-clone-safe): it crosses worker boundaries with the Design that holds it.
 */
import type { NumberFormat, Span, Strategy, WeightBuffer } from '../design';

/** Keys of the model that a space may vary (the model rules are re-checked per point). */
export const MODEL_VARY_KEYS = ['experts', 'top_k', 'hidden', 'dim', 'depth', 'heads', 'layers'] as const;
/** Keys of the explored hardware target that a space may vary. */
export const HARDWARE_VARY_KEYS = ['linear', 'units', 'attention', 'clock', 'weights', 'acts', 'schedule', 'weight_buffer'] as const;
export type ModelVaryKey = (typeof MODEL_VARY_KEYS)[number];
export type HardwareVaryKey = (typeof HARDWARE_VARY_KEYS)[number];
export type VaryKey = ModelVaryKey | HardwareVaryKey;

export function isModelKey(key: VaryKey): key is ModelVaryKey {
  return (MODEL_VARY_KEYS as readonly string[]).includes(key);
}

/** A layer selector as written in `moe { layers … }`, resolved against the depth of each point. */
export type LayerSelector =
  | { kind: 'odd' | 'even' | 'all' }
  | { kind: 'list'; layers: number[] }
  | { kind: 'every'; step: number; from: number };

/** A width written absolutely (`hidden 384`) or as a ratio of dim (`hidden 2x`, resolved per point's dim). */
export type WidthSetting = { kind: 'width'; width: number } | { kind: 'ratio'; ratio: number };

/** One value of one varied key, typed by the key. */
export type VarySetting =
  | { key: 'experts' | 'top_k' | 'dim' | 'depth' | 'heads'; value: number }
  | { key: 'hidden'; width: WidthSetting }
  | { key: 'layers'; selector: LayerSelector }
  /** `units` when written (`16 x 16 units 2`); a varied `units` key overrides it. */
  | { key: 'linear'; inputs: number; outputs: number; units?: number }
  | { key: 'units'; units: number }
  | { key: 'weight_buffer'; buffer: WeightBuffer }
  | { key: 'attention'; rows: number; dims: number }
  | { key: 'clock'; hz: number }
  | { key: 'weights' | 'acts'; format: NumberFormat }
  | { key: 'schedule'; strategy: Strategy };

export interface VaryChoice {
  /** The value as it is written in `.m3v` after the key (`16 x 16`, `250 MHz`, `fixed<8,2>`, `every 2 from 1`). */
  text: string;
  setting: VarySetting;
}

export interface VaryAxis {
  key: VaryKey;
  /** Distinct values in the written order (a range expands low to high). */
  choices: VaryChoice[];
  span: Span;
}

export type ObjectiveMetric = 'latency' | 'energy' | 'onchip' | 'dsp' | 'traffic' | 'fps';

export interface Objective {
  sense: 'minimize' | 'maximize';
  metric: ObjectiveMetric;
  /** For latency, energy and fps: the task; undefined = the worst task (the slowest, or the most energy). */
  task?: string;
  /** `latency semseg`, `onchip`, `fps`: the name of the objective in reports and `--json`. */
  label: string;
  span: Span;
}

/** The model's own settings that a varied key can change the meaning of (a ratio of dim, a selector of depth). */
export interface ModelBase {
  layers?: LayerSelector;
  hidden?: WidthSetting;
  mlp: WidthSetting;
}

export interface ExploreSpec {
  name: string;
  span: Span;
  nameSpan: Span;
  /** The explored hardware target; its budgets are the constraints. */
  target: string;
  axes: VaryAxis[];
  objectives: Objective[];
  /** Seed of the evolutionary search (spaces too large to enumerate). */
  seed: number;
  base: ModelBase;
}

/** The number of points of a space (a float: 10^12 spaces must be countable without overflow surprises). */
export function spaceSize(spec: Pick<ExploreSpec, 'axes'>): number {
  return spec.axes.reduce((n, a) => n * a.choices.length, 1);
}

/** Above this many points a space is searched (NSGA-II) instead of enumerated. */
export const SEARCH_ABOVE = 1e6;
/** Above this many points a space is refused: a search would see too small a share of it to mean anything. */
export const REFUSE_ABOVE = 1e12;

/** Units of each objective's value in reports. */
export const OBJECTIVE_UNITS: Record<ObjectiveMetric, string> = {
  latency: 'seconds',
  energy: 'joules',
  onchip: 'bytes',
  dsp: 'DSP slices',
  traffic: 'bytes per frame',
  fps: 'frames per second',
};
