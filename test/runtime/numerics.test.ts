/**
 * Fixed-point numerics: the quantisers against a hand-written ap_fixed (AP_TRN, AP_WRAP) on edge values, in float64
 * and in the ONNX graph; float32 formats leave the graph and its outputs exactly unchanged; a coarser format moves the
 * model further; formats the runtime cannot emulate and unknown modes are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { analyzeDocument } from '../../language/src/analyze';
import type { Design, NumberFormat } from '../../engine/design';
import { buildBackboneModel } from '../../model/onnx/backbone';
import { compareRuns, relativeL2, routingFlips } from '../../model/onnx/compareRuns';
import { activationQuantizer, NumericsError, numericsFormatProblem, numericsPlan, quantizeTensor } from '../../model/onnx/numerics';
import { DataType, encodeModel, floatTensor, int64Tensor, type Node, type Tensor } from '../../model/onnx/proto';
import { IR_VERSION, OPSET } from '../../model/onnx/moeLayer';
import { apFixed, float16Round, int8Quantize } from '../../model/reference/fixedPoint';
import { mulberry32 } from '../../engine/random';
import { seededDesignWeights } from '../../model/weights/seeded';
import { smallMoeDesignText } from '../fixtures/smallMoeText';

/**
 * ap_fixed<W, I> written from the definition with integers: take the bits of ⌊x · 2^F⌋ (AP_TRN), keep the low W bits
 * (AP_WRAP), read them as two's complement. BigInt, so no float reasoning is shared with the code under test.
 */
function handApFixed(x: number, W: number, I: number): number {
  const F = W - I;
  const scaled = x * 2 ** F; // exact: a power-of-two scaling of a float
  const m = BigInt(Math.floor(scaled));
  const mask = (1n << BigInt(W)) - 1n;
  let bits = m & mask; // BigInt & is two's complement on negative numbers: the low W bits
  if (bits >= 1n << BigInt(W - 1)) bits -= 1n << BigInt(W);
  return Number(bits) / 2 ** F;
}

const f32 = Math.fround;
/** The float32 just below v (v > 0 here). */
function below(v: number): number {
  const a = new Float32Array([v]);
  const u = new Uint32Array(a.buffer);
  u[0] += v < 0 ? 1 : -1;
  return a[0];
}

function edgeValues(W: number, I: number): number[] {
  const step = 2 ** -(W - I);
  const max = 2 ** (I - 1) - step;
  const min = -(2 ** (I - 1));
  const values = [
    0, max, min, -min, -max, max + step, min - step, // ±max, −min (wraps to min), one step past each end
    0.5 * step, -0.5 * step, 2.5 * step, -2.5 * step, // ties: truncation goes down, never to even
    below(step), below(3 * step), -below(step), // just below a step
    below(max), min / 2 - step / 2, 3 * 2 ** (I - 1) + 7 * step, -5 * 2 ** (I - 1) - 3 * step, // wrap from far out
    0.1, -0.1, 1 / 3, -2 / 3, 1e-9, -1e-9,
    // Far past the range, up to ⌊x·2^F⌋ ≈ 2^61 (the quantiser's documented limit is 2^62): the wrap keeps the low W
    // bits of integers whose float32 spacing is 1 or more (the 8/16/32-bit narrowing path included).
    ...[W + 1, W + 7, 40, 53, 61].flatMap((e) => [1, -1].flatMap((sign) => [sign * (2 ** e + 2 ** (e - 20)), sign * (2 ** e + 2 ** (e - 23) * 3), sign * 2 ** e]).map((m) => m * step)),
  ];
  return values.map(f32).filter((v) => Number.isFinite(v));
}

const FORMATS: [number, number][] = [[16, 2], [8, 2], [32, 10], [16, 0], [16, 5], [16, 7], [6, -2], [4, 6]];

test('apFixed equals a hand-written ap_fixed truncation/wrap on edge values (±max, −min, ties, just below a step)', () => {
  for (const [W, I] of FORMATS) {
    for (const x of edgeValues(W, I)) assert.equal(apFixed(x, W, I), handApFixed(x, W, I), `fixed<${W},${I}> of ${x}`);
  }
  // Worked by hand for fixed<16,2> (step 2^-14, range [−2, 2 − 2^-14]): 2 wraps to −2; −2^-15 truncates to −2^-14;
  // 2.5 wraps to −1.5; the float32 just below 2^-14 truncates to 0.
  assert.equal(apFixed(2, 16, 2), -2);
  assert.equal(apFixed(-(2 ** -15), 16, 2), -(2 ** -14));
  assert.equal(apFixed(2.5, 16, 2), -1.5);
  assert.equal(apFixed(below(2 ** -14), 16, 2), 0);
  assert.equal(apFixed(2 - 2 ** -14, 16, 2), 2 - 2 ** -14);
});

/** Runs the graph's activation quantiser for `format` on `values` in onnxruntime-node. */
async function graphQuantize(format: NumberFormat, values: number[], range?: [number, number], absBound?: number): Promise<Float32Array> {
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  let n = 0;
  const g = {
    op: (opType: string, inputs: string[], attributes?: Node['attributes']) => {
      const out = `t${n++}`;
      nodes.push({ opType, inputs, outputs: [out], name: `n${n}`, attributes });
      return out;
    },
    constF: (v: number[], dims: number[] = []) => {
      const name = `c${n++}`;
      inits.push(floatTensor(name, dims, v));
      return name;
    },
    constI: (v: number) => {
      const name = `i${n++}`;
      inits.push(int64Tensor(name, [], [v]));
      return name;
    },
  };
  const y = activationQuantizer(g, format)('x', range, absBound === undefined ? undefined : () => g.constF([absBound]));
  nodes.push({ opType: 'Identity', inputs: [y], outputs: ['y'], name: 'out' });
  const model = encodeModel({
    graph: { name: 'q', nodes, initializers: inits, inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: [values.length] }], outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [values.length] }] },
    opset: OPSET,
    irVersion: IR_VERSION,
    producer: 'test',
  });
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
  const result = await session.run({ x: new ort.Tensor('float32', Float32Array.from(values), [values.length]) });
  return result.y.data as Float32Array;
}

test('the ONNX graph quantiser equals the hand-written ap_fixed on the same edge values (exact, no tolerance)', async () => {
  for (const [W, I] of FORMATS) {
    const values = edgeValues(W, I);
    const got = await graphQuantize({ kind: 'fixed', width: W, integer: I }, values);
    values.forEach((x, i) => assert.equal(got[i], f32(handApFixed(x, W, I)), `fixed<${W},${I}> of ${x}`));
    // Every float32 input's quantised value is a float32: the float64 result equals the float32 one exactly.
    values.forEach((x) => assert.equal(f32(apFixed(x, W, I)), apFixed(x, W, I), `fixed<${W},${I}> of ${x} is a float32`));
    // The quantiser takes its wrap path only when the tensor's min or max lies outside the format (an If): a tensor of
    // the in-range edge values alone (±max, −min, ties, just below a step) goes the other way and must agree too, and
    // so must one whose only out-of-range element is a single step past either end.
    const step = 2 ** -(W - I);
    const inRange = values.filter((x) => x >= -(2 ** (I - 1)) && x < 2 ** (I - 1));
    const inside = await graphQuantize({ kind: 'fixed', width: W, integer: I }, inRange);
    inRange.forEach((x, i) => assert.equal(inside[i], f32(handApFixed(x, W, I)), `fixed<${W},${I}> of in-range ${x}`));
    for (const past of [2 ** (I - 1), -(2 ** (I - 1)) - step].map(f32)) {
      const one = await graphQuantize({ kind: 'fixed', width: W, integer: I }, [...inRange, past]);
      [...inRange, past].forEach((x, i) => assert.equal(one[i], f32(handApFixed(x, W, I)), `fixed<${W},${I}> of ${x} beside ${past}`));
      // A caller's bound on |x| (the attention scores'): a bound that proves the range skips the reductions; one
      // that does not (here 2^I, loose) falls back to them, which must still find the element that wraps.
      const loose = await graphQuantize({ kind: 'fixed', width: W, integer: I }, [...inRange, past], undefined, 2 ** I);
      [...inRange, past].forEach((x, i) => assert.equal(loose[i], f32(handApFixed(x, W, I)), `fixed<${W},${I}> of ${x} beside ${past}, loose bound`));
    }
    const strictlyInside = inRange.filter((x) => Math.abs(x) < 2 ** (I - 1));
    const tight = await graphQuantize({ kind: 'fixed', width: W, integer: I }, strictlyInside, undefined, Math.max(...strictlyInside.map(Math.abs)));
    strictlyInside.forEach((x, i) => assert.equal(tight[i], f32(handApFixed(x, W, I)), `fixed<${W},${I}> of in-range ${x}, tight bound`));
    // The bound is the caller's promise and is believed without a pass over x: a false one (the value 2^(I−1) wraps to
    // −2^(I−1), but the bound says |x| ≤ 0) leaves it unwrapped — proof that the bound, not the reductions, decided.
    const lied = await graphQuantize({ kind: 'fixed', width: W, integer: I }, [f32(2 ** (I - 1))], undefined, 0);
    assert.equal(lied[0], f32(2 ** (I - 1)), `fixed<${W},${I}>: a bound of 0 skips the wrap`);
  }
  // 5,000 random float32 values over ±4 ranges too, fixed<32,10> and fixed<16,2>.
  const rand = mulberry32(9);
  for (const [W, I] of [[32, 10], [16, 2]] as const) {
    const values = Array.from({ length: 5000 }, () => f32((rand() * 2 - 1) * 2 ** (I + 1)));
    const got = await graphQuantize({ kind: 'fixed', width: W, integer: I }, values);
    values.forEach((x, i) => assert.equal(got[i], handApFixed(x, W, I), `fixed<${W},${I}> of ${x}`));
  }
  // The in-range shortcut (probabilities) gives the same result on in-range values.
  const probs = [0, 1 - 2 ** -20, 0.5, 2 ** -23, 0.3].map(f32);
  const shortcut = await graphQuantize({ kind: 'fixed', width: 32, integer: 10 }, probs, [0, 1]);
  probs.forEach((x, i) => assert.equal(shortcut[i], handApFixed(x, 32, 10)));
});

test('int8 and float16 quantisers: hand-worked values', async () => {
  // Scale 1/127 (max |x| = 1): 0.5 → round(63.5) = 64 (half to even) → 64/127; −1 → −127/127.
  assert.equal(int8Quantize(0.5, 1 / 127), 64 / 127);
  assert.equal(int8Quantize(-1, 1 / 127), -1);
  assert.equal(int8Quantize(2.5 / 127, 1 / 127), 2 / 127); // 2.5 → 2 (even)
  // Per channel: each row its own scale; per tensor: one scale from the largest |w|.
  const w = Float32Array.from([1, 0.5, -0.25, 0.01, 0.02, -0.04]);
  const perChannel = quantizeTensor(w, { kind: 'int8' }, 3, 'per-channel');
  assert.deepEqual(Array.from(perChannel.slice(3)), [f32(int8Quantize(0.01, 0.04 / 127)), f32(int8Quantize(0.02, 0.04 / 127)), f32(-0.04)]);
  const perTensor = quantizeTensor(w, { kind: 'int8' }, 3, 'per-tensor');
  assert.equal(perTensor[3], f32(int8Quantize(0.01, 1 / 127))); // 1.27 → 1 → 1/127
  // float16: 1 + 2^-11 is a tie between 1 and 1 + 2^-10 → 1 (even); 65504 is the max; 1e-8 is subnormal → 0.
  assert.equal(float16Round(1 + 2 ** -11), 1);
  assert.equal(float16Round(1 + 3 * 2 ** -11), 1 + 2 ** -9);
  assert.equal(float16Round(65504), 65504);
  assert.equal(float16Round(70000), Infinity);
  assert.equal(float16Round(2 ** -24), 2 ** -24);
  assert.equal(float16Round(1e-8), 0);
  const got = await graphQuantize({ kind: 'float16' }, [1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1, 70000]);
  assert.deepEqual(Array.from(got), [1, 1 + 2 ** -9, f32(float16Round(0.1)), Infinity]);
});

const SMALL = (weights: string, acts: string) =>
  smallMoeDesignText({ name: 'small', input: '3 x 32 x 48', dim: 32, depth: 3, mlp: '2x', layers: '[1, 2]', hidden: 48, classes: 4, weights, acts });

function design(text: string): Design {
  const analysis = analyzeDocument(text);
  assert.ok(analysis.design, analysis.diagnostics.map((d) => d.message).join('\n'));
  return analysis.design;
}

async function runGraph(model: Uint8Array, image: Float32Array, task: number) {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const out = await session.run({ image: new ort.Tensor('float32', image, [3, 32, 48]), task: new ort.Tensor('int64', BigInt64Array.from([BigInt(task)]), []) });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { dims: [...v.dims], data: v.data as Float32Array }]));
}

const image = (() => {
  const rand = mulberry32(3);
  return Float32Array.from({ length: 3 * 32 * 48 }, () => rand());
})();

test('float32 formats: the declared graph is byte for byte the float32 graph, and every output differs by exactly zero', async () => {
  const d = design(SMALL('float32', 'float32'));
  const weights = seededDesignWeights(d, 4);
  const plan = numericsPlan('declared', d.targets[0]);
  const plain = encodeModel(buildBackboneModel(d, weights, { layerOutputs: true }));
  const declared = encodeModel(buildBackboneModel(d, weights, { numerics: plan, layerOutputs: true }));
  assert.deepEqual(declared, plain);
  for (const task of [0, 1]) {
    const [f, q] = [await runGraph(plain, image, task), await runGraph(declared, image, task)];
    const c = compareRuns(d, task, q, f);
    assert.equal(c.layers.length, 3);
    for (const l of c.layers) assert.equal(l.relativeL2, 0);
    for (const r of c.routing) assert.equal(r.flips, 0);
    assert.ok(c.prediction);
    if (c.prediction.kind === 'argmax') assert.equal(c.prediction.agreement, 1);
    else if (c.prediction.kind === 'regression') assert.equal(c.prediction.relativeError, 0);
  }
});

test('coarser formats move the model further: fixed<8,2> error > fixed<16,2> error > 0 on seeded weights', async () => {
  const errors: Record<string, number> = {};
  for (const weights of ['fixed<16,2>', 'fixed<8,2>']) {
    const d = design(SMALL(weights, 'fixed<32,10>'));
    const w = seededDesignWeights(d, 4);
    const f = await runGraph(encodeModel(buildBackboneModel(d, w, { layerOutputs: true })), image, 0);
    const q = await runGraph(encodeModel(buildBackboneModel(d, w, { numerics: numericsPlan('declared', d.targets[0]), layerOutputs: true })), image, 0);
    const c = compareRuns(d, 0, q, f);
    errors[weights] = c.layers[c.layers.length - 1].relativeL2;
    assert.equal(c.routing.length, 2);
  }
  assert.ok(errors['fixed<16,2>'] > 0, `fixed<16,2> moved nothing`);
  assert.ok(errors['fixed<8,2>'] > errors['fixed<16,2>'], `fixed<8,2> ${errors['fixed<8,2>']} vs fixed<16,2> ${errors['fixed<16,2>']}`);
  // And coarser activations too, with the weights fixed: fixed<12,4> acts worse than fixed<32,10>.
  const acts: number[] = [];
  for (const a of ['fixed<32,10>', 'fixed<12,4>']) {
    const d = design(SMALL('float32', a));
    const w = seededDesignWeights(d, 4);
    const f = await runGraph(encodeModel(buildBackboneModel(d, w, { layerOutputs: true })), image, 1);
    const q = await runGraph(encodeModel(buildBackboneModel(d, w, { numerics: numericsPlan('declared', d.targets[0]), layerOutputs: true })), image, 1);
    acts.push(relativeL2(q.features.data, f.features.data));
  }
  assert.ok(acts[0] > 0 && acts[1] > acts[0], `acts errors ${acts.join(', ')}`);
});

test('int8 weights (per channel and per tensor) and float16 run; routing flips count sets, not order', async () => {
  for (const [weights, scales] of [['int8', 'per-channel'], ['int8', 'per-tensor'], ['float16', 'per-channel']] as const) {
    const d = design(SMALL(weights, 'float16'));
    const w = seededDesignWeights(d, 4);
    const f = await runGraph(encodeModel(buildBackboneModel(d, w, { layerOutputs: true })), image, 0);
    const q = await runGraph(encodeModel(buildBackboneModel(d, w, { numerics: numericsPlan('declared', d.targets[0], scales), layerOutputs: true })), image, 0);
    const e = relativeL2(q.features.data, f.features.data);
    assert.ok(e > 0 && e < 0.5, `${weights} ${scales}: ${e}`);
  }
  const a = { dims: [3, 2], data: BigInt64Array.from([0n, 1n, 2n, 3n, 1n, 2n]) };
  const b = { dims: [3, 2], data: BigInt64Array.from([1n, 0n, 2n, 1n, 1n, 2n]) };
  assert.equal(routingFlips(a, b), 1); // token 0 swapped order only; token 1 {2,3} vs {2,1} changed
});

test('a format the runtime cannot emulate and an unknown mode are clear errors', () => {
  assert.match(numericsFormatProblem({ kind: 'fixed', width: 64, integer: 10 })!, /fixed<64,10>: the runtime emulates fixed<W,I> for 1 ≤ W ≤ 53 bits/);
  assert.equal(numericsFormatProblem({ kind: 'fixed', width: 53, integer: 1 }), undefined);
  const d = design(SMALL('fixed<64,10>', 'fixed<32,10>'));
  assert.throws(() => numericsPlan('declared', d.targets[0]), (e: unknown) => e instanceof NumericsError && /cannot emulate the weights format fixed<64,10>/.test(e.message));
  assert.throws(() => numericsPlan('fast', d.targets[0]), (e: unknown) => e instanceof NumericsError && /--numerics must be one of float32, declared, edge-moe, got 'fast'/.test(e.message));
  assert.throws(() => numericsPlan('declared', undefined), /needs a hardware target/);
});

test('the quantised graph computes the same model: with float32 acts it equals the plain graph on the quantised weights', async () => {
  // Weights fixed<16,2>, acts float32: the quantised graph's structure (top-k on the logits, experts stacked for the
  // element-wise work, the expert sum in its own buffer) with identity activation quantisers, beside the plain graph
  // given the same quantised weights. Only float32 summation order may differ.
  const d = design(SMALL('fixed<16,2>', 'float32'));
  const plan = numericsPlan('declared', d.targets[0]);
  const weights = seededDesignWeights(d, 6);
  const quantised = new Map<string, Float32Array>();
  const built = buildBackboneModel(d, weights, { numerics: plan, layerOutputs: true });
  for (const [name, values] of weights) {
    quantised.set(name, quantizeTensor(values, plan.weightFormat(name), 0, 'per-channel'));
  }
  for (const task of [0, 1]) {
    const q = await runGraph(encodeModel(built), image, task);
    const f = await runGraph(encodeModel(buildBackboneModel(d, quantised, { layerOutputs: true })), image, task);
    const c = compareRuns(d, task, q, f);
    for (const l of c.layers) assert.ok(l.relativeL2 < 1e-6, `block ${l.layer}: ${l.relativeL2}`);
    for (const r of c.routing) assert.equal(r.flips, 0);
    // The gate scores are the same probabilities, gathered after the top k instead of by it.
    assert.ok(relativeL2(q.topk_scores_1.data, f.topk_scores_1.data) < 1e-6);
  }
});
