/**
 * Public API of the pure co-design engine (runs in Node, a worker and a browser). The schedule's own API
 * (frameLatency, simulateFrame, simulateScenario) is exported from engine/schedule/index.ts.
 */
export * from './design';
export * from './units';
export { DEVICES, DEVICE_NAMES, FAMILY_DEFAULTS, findDevice, type CatalogDevice, type DeviceFamily, type FamilyDefaults } from './catalog';
export { countModel, backboneMacs, headLayer, MAT_OPS, ELEMENTWISE_KINDS } from './costs/counts';
export type { MatOp, ElementwiseKind, ElementwiseCounts, OpCount, LayerCount, ModelCount, CountOptions, FfnVariant } from './costs/counts';
export { countParams, activeParams, expertParams, headParams, type ParamCounts } from './costs/params';
export { countDesign, type DesignCounts, type TaskCounts } from './costs/taskCounts';
export { mapToBram, mapToUram, chooseMapping, BRAM36_BITS, URAM_BITS, type BlockMapping, type MemoryKind } from './memory/blocks';
export { planOnchip, type OnchipBuffer, type OnchipPlan, type BufferRole } from './memory/buffers';
export { frameTraffic, frameExpertLoads, offchipFootprint, expertBytes, expertLoadsInLayer, type TrafficBreakdown, type OffchipFootprint } from './memory/traffic';
export { frameEnergy, onchipAccessBytes, type EnergyBreakdown, type EnergyInputs } from './energy';
export { resourceUse, dspPerMac, type ResourceUse } from './resources';
export { switchBytes, type SwitchCost } from './switchCost';
export { evaluateBudgets, evaluateBudget, type BudgetResult, type TargetFacts, type TaskFacts } from './budgets';
export { analyzeDesign, ENGINE_NOT_COSTED, type AnalysisReport, type AnalyzeOptions, type TargetReport, type StrategyReport, type TaskStrategyReport } from './analyze';
export { analysisToJson } from './analysisJson';
export { analysisToText } from './analysisText';
export { codeLensFacts, type CodeLensFacts, type TaskLens, type MoeLens, type HardwareLens, type BudgetLens } from './codeLens';
