/**
 * The machine-readable form of an analysis (`m3v analyze --json`), documented field by field in
 * docs/analyze-json.md. Snake case, SI units unless the key names another (`_ms`, `_mj`, `_percent`).
 * Non-finite numbers (a percentage of a resource the part does not have) become null.
 */
import { STRATEGIES, type Strategy } from './design';
import type { AnalysisReport } from './analyze';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function analysisToJson(report: AnalysisReport): Json {
  const p = report.params;
  return {
    format: 'm3v-analysis',
    version: 1,
    model: report.model,
    provenance: report.provenance,
    params: { total: p.total, shared: p.shared, per_expert: p.perExpert, experts: p.experts, gates: p.gates, gate_per_task: p.gatePerTask, heads: p.heads },
    tasks: report.counts.tasks.map((t) => ({
      name: t.task,
      macs: t.count.macs,
      flops: t.count.flops,
      params_active: t.paramsActive,
      dense_mtl_macs: t.denseMtl.macs,
      all_experts_macs: t.allExperts.macs,
      reduction_vs_dense_mtl: t.reductionVsDenseMtl,
      reduction_vs_all_experts: t.reductionVsAllExperts,
      macs_by_op: { ...t.count.byOp },
      elementwise: { ...t.count.elementwise },
      by_layer: t.count.layers.map((l) => ({
        name: l.name,
        layer: l.layer,
        kind: l.kind,
        macs: l.macs,
        flops: l.flops,
        ops: l.ops.map((o) => ({ op: o.op, macs: o.macs, flops: o.flops })),
      })),
    })),
    targets: report.targets.map((t) => {
      const strategies: { [key: string]: Json } = {};
      for (const s of t.strategies) {
        const byTask = <T extends Json>(f: (x: (typeof s.tasks)[number]) => T) => Object.fromEntries(s.tasks.map((x) => [x.task, f(x)]));
        strategies[s.strategy] = {
          onchip_bytes: s.onchip.bytes,
          onchip_percent: num(s.onchip.onchipPercent),
          bram36: s.onchip.bram36,
          uram: s.onchip.uram,
          offchip_bytes: s.offchip.total,
          traffic_bytes: Math.max(0, ...s.tasks.map((x) => x.traffic.total)),
          traffic_by_task: byTask((x) => ({
            weights: x.traffic.weights,
            experts: x.traffic.experts,
            expert_loads: x.traffic.expertLoads,
            activations: x.traffic.activations,
            total: x.traffic.total,
          })),
          latency_ms: byTask((x) => x.latency.seconds * 1e3),
          latency_cycles: byTask((x) => x.latency.cycles),
          fps: byTask((x) => num(x.fps)),
          energy_mj: byTask((x) => x.energy.totalJ * 1e3),
          power_w: byTask((x) => x.energy.powerW),
          energy_breakdown_mj: byTask((x) => ({
            static: x.energy.staticJ * 1e3,
            board: x.energy.boardJ * 1e3,
            mac: x.energy.macJ * 1e3,
            onchip: x.energy.onchipJ * 1e3,
            offchip: x.energy.offchipJ * 1e3,
          })),
          switch_cost_bytes: s.switchCost.bytes,
          switch_cost_ms: s.switchCost.seconds * 1e3,
          routing_notes: [...new Set(s.tasks.flatMap((x) => x.latency.routingNotes))],
          lutram_luts: s.onchip.lutram,
          grows_with_experts: s.growsWithExperts,
          buffers: s.onchip.buffers.map((b) => ({
            name: b.name,
            role: b.role,
            banks: b.banks,
            depth: b.depth,
            width_bits: b.widthBits,
            bytes: b.bytes,
            memory: b.mapping.kind,
            blocks: b.mapping.blocks,
            luts: b.mapping.luts,
            shape: b.mapping.shape,
          })),
        };
      }
      const r = t.resources;
      const c = t.target;
      return {
        name: t.name,
        device: t.device,
        schedule: c.schedule,
        clock_hz: c.clockHz,
        bandwidth_bytes_per_s: c.bandwidthBytesPerSec,
        expert_bytes: t.expertBytes,
        memory_system: {
          weight_port_bits: c.memory.weightPortBits,
          act_port_bits: c.memory.actPortBits,
          act_ports: c.memory.actPorts,
          prefetch: c.memory.prefetch,
          weight_buffer_bytes: c.weightBuffer.kind === 'whole' ? null : c.weightBuffer.bytes,
          queues: c.queues,
          gate_unit: c.gateUnit ? { experts: c.gateUnit.experts, width: c.gateUnit.width } : null,
          sources: { ports: c.facts.ports.source, bandwidth: c.facts.bandwidth.source, board_power: c.facts.boardPower.source },
        },
        lower_bounds: Object.fromEntries(
          t.bounds.map(({ task, bound }) => [
            task,
            { compute_ms: num(bound.computeSeconds * 1e3), memory_ms: num(bound.memorySeconds * 1e3), bound_ms: num(bound.seconds * 1e3), bound: bound.bound },
          ]),
        ),
        resources: {
          dsp: r.dsp,
          dsp_by_unit: r.dspByUnit.map((u) => ({ unit: u.unit, source: u.source, multipliers: u.count, operands: u.operands, dsp_each: u.dspEach, dsp: u.dsp })),
          dsp_percent: num(r.dspPercent),
          bram36: r.bram36,
          bram_percent: num(r.bramPercent),
          uram: r.uram,
          uram_percent: num(r.uramPercent),
          onchip_percent: num(r.onchipPercent),
          available: { ...c.resources },
        },
        energy_coefficients: {
          static_power_w: c.staticPowerW,
          board_power_w: c.boardPowerW,
          mac_pj: c.energy.macJ * 1e12,
          onchip_pj_per_byte: c.energy.onchipJPerByte * 1e12,
          offchip_pj_per_byte: c.energy.offchipJPerByte * 1e12,
        },
        strategies,
      };
    }),
    budgets: report.budgets.map((b) => ({
      text: b.text,
      target: b.target,
      task: b.task ?? null,
      metric: b.metric,
      value: b.value === undefined ? null : num(b.value),
      limit: b.limit,
      unit: b.unit,
      ok: b.ok ?? null,
      warning: b.warning,
      summary: b.summary,
      impossible: b.impossible ? { bound_ms: b.impossible.boundSeconds * 1e3, bound: b.impossible.kind, factor: b.impossible.factor } : null,
    })),
    not_costed: report.notCosted,
  };
}

/** Keeps STRATEGIES order in consumers that iterate the object. */
export const JSON_STRATEGY_ORDER: readonly Strategy[] = STRATEGIES;
