/** The design-space exploration API (pure: Node, a worker and a browser). The Node worker pool is node/explore-pool.ts. */
export * from './spec';
export { makeSpace, digitsOf, indexOfDigits, valuesOf, settingsOf, modelKeyOf, clockFreeKeyOf, shardRange, clockRunLength, type Space } from './space';
export { applyPoint, applyModel, applyHardware, SKIP_RULES, type SkipRule } from './apply';
export { PointEvaluator, objectiveValue, type PointOutcome } from './evaluate';
export { ParetoFront, dominates, bruteForceFront, type FrontEntry } from './pareto';
export { TallyBuilder, mergeTallies, type ExploreTally } from './tally';
export { nsga2, type SearchStats } from './search';
export { buildResult, fingerprintOf, signsOf, RESULT_VERSION, type ExploreResult, type FrontPoint, type ObjectiveEffect } from './result';
export { explore, exploreAsync, ExploreRun, ExploreRequestError, findExplore, islandSeed, modeOf, DEFAULT_EVALUATIONS, DEFAULT_POPULATION, type ExploreOptions, type ExploreProgress, type SearchSettings } from './run';
export { mergeResults } from './merge';
export { exploreLensText, pointCountText } from './lens';
