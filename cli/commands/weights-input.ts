/** Weights for a model run or export: an Edge-MoE float32 folder (`--weights DIR`) or a seeded initialisation. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../../engine/design';
import { loadEdgeMoeFolder } from '../../engine/weights/edgeMoeFolder';
import { seededDesignWeights } from '../../engine/weights/seeded';
import { UsageError } from '../io';

export function loadWeights(design: Design, folder: string | undefined, seedText: string | undefined): { weights: Map<string, Float32Array>; source: string } {
  if (folder !== undefined) {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--weights '${folder}' is not a folder`);
    const load = loadEdgeMoeFolder(design, (name) => {
      const path = join(folder, name);
      return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
    });
    if (load.misshaped.length > 0) {
      const list = load.misshaped.map((m) => `${m.name} (expected [${m.expected.join(', ')}], found ${m.foundValues} values)`);
      throw new UsageError(`weights in '${folder}' do not fit the design: ${list.join('; ')}`);
    }
    return { weights: load.tensors, source: `weights from ${folder}` };
  }
  const text = seedText ?? '0';
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got '${text}'`);
  return { weights: seededDesignWeights(design, seed), source: `seeded weights (seed ${seed})` };
}
