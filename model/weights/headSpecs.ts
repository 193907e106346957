/**
 * The tensors of every task head a design declares: names and shapes, one place for the graph builder, the seeded
 * initialiser and the M3ViT state-dict mapping. Head tensors are not part of the Edge-MoE folder (its HLS code has no
 * heads), so they are listed apart from `edgeMoeTensorSpecs`.
 *
 * - `linear`: `head_<task>_weight` [N, D], `head_<task>_bias` [N] (a per-patch Linear, no norm — as counted).
 * - `cls`: `head_<task>_norm_weight/_bias` [D] (timm's final `norm`, applied to the cls token) then the Linear.
 * - `pup` (M3ViT `VisionTransformerUpHead`, num_conv 4): `head_<task>_norm_weight/_bias` [D]; for i = 0..3
 *   `head_<task>_conv<i>_weight` [C, i == 0 ? D : C, 3, 3] and `_bias` [C]; `head_<task>_bn<i>_{weight,bias,mean,var}`
 *   [C]; `head_<task>_out_weight` [N, C, 1, 1], `head_<task>_out_bias` [N] — C = the head's `width`.
 */
import type { Design, TaskSpec } from '../../engine/design';
import type { TensorSpec } from './edgeMoeFolder';

/** The PUP head has exactly four conv3x3 → BN → ReLU stages (M3ViT's `num_conv = 4` configuration). */
export const PUP_STAGES = 4;
/** M3ViT builds the PUP head's norm as `partial(nn.LayerNorm, eps=1e-6)`, independent of the backbone's setting. */
export const PUP_LAYERNORM_EPS = 1e-6;
/** The PUP head's BatchNorm epsilon: the PyTorch BatchNorm2d / mmcv SyncBN default. */
export const BATCHNORM_EPS = 1e-5;

/** The tensors of one task's head, in a fixed order (the seeded initialiser draws them in this order). */
export function taskHeadTensorSpecs(design: Design, task: TaskSpec): TensorSpec[] {
  const D = design.model.dim;
  const p = `head_${task.name}`;
  const head = task.head;
  const N = head.count;
  switch (head.kind) {
    case 'linear':
      return [
        { name: `${p}_weight`, shape: [N, D] },
        { name: `${p}_bias`, shape: [N] },
      ];
    case 'cls':
      return [
        { name: `${p}_weight`, shape: [N, D] },
        { name: `${p}_bias`, shape: [N] },
        { name: `${p}_norm_weight`, shape: [D] },
        { name: `${p}_norm_bias`, shape: [D] },
      ];
    case 'pup': {
      const C = head.width;
      const specs: TensorSpec[] = [
        { name: `${p}_norm_weight`, shape: [D] },
        { name: `${p}_norm_bias`, shape: [D] },
      ];
      for (let i = 0; i < PUP_STAGES; i++) {
        specs.push(
          { name: `${p}_conv${i}_weight`, shape: [C, i === 0 ? D : C, 3, 3] },
          { name: `${p}_conv${i}_bias`, shape: [C] },
          { name: `${p}_bn${i}_weight`, shape: [C] },
          { name: `${p}_bn${i}_bias`, shape: [C] },
          { name: `${p}_bn${i}_mean`, shape: [C] },
          { name: `${p}_bn${i}_var`, shape: [C] },
        );
      }
      specs.push({ name: `${p}_out_weight`, shape: [N, C, 1, 1] }, { name: `${p}_out_bias`, shape: [N] });
      return specs;
    }
  }
}

/** Every head tensor of the design, task by task in declaration order. */
export function headTensorSpecs(design: Design): TensorSpec[] {
  return design.tasks.flatMap((task) => taskHeadTensorSpecs(design, task));
}
