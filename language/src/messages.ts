/**
 * Every user-facing message of the `.m3v` front end, each with a stable code. Nothing else in language/ builds
 * message text, so wording stays consistent and tests can assert it exactly.
 */
export interface Message {
  code: string;
  message: string;
}


/**
 * User text quoted in a message: control characters (ESC, BEL, …, C1 such as CSI) shown as `\u001b` so a hostile
 * file cannot drive the terminal or editor that prints the message, and cut at 80 characters (a 1 MB line of bad
 * characters is one short message). See docs/limits.md.
 */
export function printable(s: string, max = 80): string {
   
  const escaped = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}… (${s.length} characters)` : escaped;
}
const q = (s: string): string => `'${printable(s)}'`;
/** Every message: user text inside it escaped (some quote it bare: numbers, units), and at most 300 characters. */
const m = (code: string, message: string): Message => ({ code, message: printable(message, 300) });
const didYouMean = (suggestion: string | undefined): string => (suggestion ? ` (did you mean ${q(suggestion)}?)` : '');
/** The suggestion a message built with `didYouMean` carries (for quick fixes), or undefined. */
export const suggestionOf = (message: string): string | undefined => /\(did you mean '([^']+)'\?\)/.exec(message)?.[1];
const list = (items: readonly string[]): string => items.join(', ');

// ---- lexical and syntax ----
export const badCharacters = (text: string) => m('bad-character', `unexpected character${text.length > 1 ? 's' : ''} ${q(text)}`);
export const unterminatedString = () => m('unterminated-string', 'string is not closed: expected \'"\' before the end of the line');
export const unterminatedComment = () => m('unterminated-comment', "comment '/*' is never closed");
export const unclosedBrace = () => m('unclosed-brace', "'{' opened here is never closed");
export const strayCloseBrace = () => m('stray-brace', "unexpected '}': no block is open here");
export const unclosedBracket = () => m('unclosed-bracket', "'[' opened here is never closed");
export const nestingTooDeep = (max: number) =>
  m('nesting-too-deep', `blocks and lists nest more than ${max} deep here: this one and everything inside it is skipped`);
export const strayCloseBracket = () => m('stray-bracket', "unexpected ']': no list is open here");

// ---- structure ----
export const unknownBlock = (word: string, suggestion: string | undefined, valid: readonly string[]) =>
  m('unknown-block', `unknown block ${q(word)}${suggestion ? didYouMean(suggestion) : `; expected one of: ${list(valid)}`}`);
export const unknownKey = (key: string, block: string, suggestion: string | undefined, valid: readonly string[]) =>
  m('unknown-key', `unknown key ${q(key)} in ${block}${suggestion ? didYouMean(suggestion) : `; valid keys: ${list(valid)}`}`);
export const misplacedKey = (key: string, blockForm: string) => m('misplaced-key', `${q(key)} belongs in a '${blockForm}' block`);
export const missingKey = (key: string, block: string, form: string) => m('missing-key', `${block} is missing ${q(key)} (${form})`);
export const duplicateKey = (key: string, firstLine: number) => m('duplicate-key', `${q(key)} is already set on line ${firstLine}`);
export const missingBlock = (keyword: string, form: string) => m('missing-block', `${q(keyword)} needs a block: ${form}`);
export const unexpectedBlock = (key: string) => m('unexpected-block', `${q(key)} does not take a '{ … }' block`);
export const bareBlock = () => m('bare-block', "a '{ … }' block needs a key or block name before it");
export const missingName = (keyword: string) => m('missing-name', `${q(keyword)} needs a name: ${keyword} NAME { … }`);
export const missingModel = () => m('missing-model', "the design has no 'model NAME { … }' block");
export const duplicateModel = (firstLine: number) => m('duplicate-model', `only one model is allowed; the first is on line ${firstLine}`);
export const duplicateName = (kind: string, name: string, firstLine: number) =>
  m('duplicate-name', `${kind} ${q(name)} is already declared on line ${firstLine}`);
export const noTasks = () => m('no-tasks', "the design declares no task: add 'task NAME { head … }'");

// ---- values ----
export const wrongForm = (key: string, form: string, got: string | undefined) =>
  m('wrong-form', `${q(key)} expects ${form}${got === undefined ? ', got nothing' : `, got ${q(got)}`}`);
export const extraWords = (key: string, text: string) => m('extra-words', `unexpected ${q(text)} after the value of ${q(key)}`);
export const wrongDimension = (expectedNoun: string, got: string) => m('wrong-dimension', `expected ${expectedNoun}, got ${got}`);
export const unknownUnit = (unit: string, suggestion: string | undefined, expectedNoun: string) =>
  m('unknown-unit', `unknown unit ${q(unit)}${suggestion ? didYouMean(suggestion) : ` (expected ${expectedNoun})`}`);
export const missingUnit = (key: string, expectedNoun: string, example: string) =>
  m('missing-unit', `${q(key)} needs a unit: expected ${expectedNoun}, e.g. ${example}`);
export const notInteger = (key: string, got: string) => m('not-integer', `${q(key)} must be a whole number, got ${got}`);
export const notPositive = (key: string, got: string) => m('not-positive', `${q(key)} must be greater than 0, got ${got}`);
export const tooLarge = (key: string, got: string, max: number) => m('too-large', `${q(key)} ${got} is implausibly large (at most ${max})`);
export const outOfRange = (key: string, got: string, range: string) => m('out-of-range', `${q(key)} ${got} is out of range: expected ${range}`);
export const notExact = (key: string, got: string) => m('not-exact', `${q(key)} ${got} is too large to be exact (whole numbers above 2^53 are rounded)`);
export const notFinite = (got: string) => m('not-finite', `the number ${got} is too large to represent (it overflows to infinity)`);
export const negative = (key: string, got: string) => m('negative', `${q(key)} must not be negative, got ${got}`);
export const unknownValue = (key: string, got: string, suggestion: string | undefined, valid: readonly string[]) =>
  m('unknown-value', `unknown ${key} ${q(got)}${suggestion ? didYouMean(suggestion) : `; expected one of: ${list(valid)}`}`);
export const unknownDevice = (name: string, suggestion: string | undefined, known: readonly string[]) =>
  m('unknown-device', `unknown device ${q(name)}${didYouMean(suggestion)}; known devices: ${list(known)}`);
export const badFixedFormat = (detail: string) => m('bad-format', `bad fixed-point format: ${detail}`);

// ---- model consistency ----
export const dimNotDivisible = (dim: number, heads: number) =>
  m('dim-heads', `dim ${dim} is not divisible by heads ${heads} (each head needs dim / heads channels)`);
export const inputNotDivisible = (axis: 'height' | 'width', size: number, patch: number) =>
  m('input-patch', `input ${axis} ${size} is not divisible by the patch ${axis} ${patch}`);
export const topKRange = (k: number, experts: number) => m('top-k-range', `top_k ${k} must be between 1 and experts (${experts})`);
export const layerOutOfRange = (layer: number, depth: number) =>
  m('layer-range', `MoE layer ${layer} is out of range: layers are 0-based and must be < depth (${depth})`);
export const noMoeLayers = (depth: number) => m('no-moe-layers', `the layer selector picks no layer of a ${depth}-layer model`);
export const duplicateLayer = (layer: number) => m('duplicate-layer', `MoE layer ${layer} is listed twice`);
export const normalizeChannels = (what: 'mean' | 'std' | 'imagenet', count: number, channels: number) =>
  m('normalize-channels', what === 'imagenet'
    ? `'normalize imagenet' has 3 channel values, but the input has ${channels} channel${channels === 1 ? '' : 's'}: write 'normalize mean [..] std [..]'`
    : `'normalize' ${what} has ${count} value${count === 1 ? '' : 's'}, but the input has ${channels} channel${channels === 1 ? '' : 's'} (one value per channel)`);
export const clsHeadChannels = () => m('cls-head-channels', "a 'cls' head classifies the cls token: use 'classes N', not 'channels'");
export const clsHeadWithoutCls = () => m('cls-head-no-token', "a 'cls' head needs the cls token, but the model says 'cls off'");
export const pupWidthOnlyForPup = () => m('width-not-pup', "'width' applies only to a 'pup' head");

// ---- hardware ----
export const missingClock = (target: string) =>
  m('missing-clock', `hardware ${q(target)} has no 'clock' (e.g. 'clock 300 MHz'): the catalog cannot know your design's clock`);
export const clockTooHigh = (text: string) => m('clock-high', `clock ${text} is above 1 GHz: unusual for FPGA fabric`);
export const bandwidthTooHigh = (text: string) => m('bandwidth-high', `bandwidth ${text} is above 1 TB/s: check the unit`);
export const traceNotUsed = (path: string, problem: string) =>
  m('trace-not-used', `routing trace "${path}" is not used (${problem}): the estimates assume balanced routing`);
export const portWidthNotBytes = (text: string) =>
  m('port-width', `port width ${text} must be a whole number of bytes (a multiple of 8 bits), as AXI data widths are`);
export const portWiderThanKernel = (text: string, kernelBits: number) =>
  m('port-wider-than-kernel', `port width ${text} is wider than the kernel's ${kernelBits}-bit AXI master, so it moves ${kernelBits} bits a clock`);
export const duplicatePort = (stream: string, firstLine: number) => m('duplicate-port', `'port ${stream}' is already set on line ${firstLine}`);
export const weightBufferTooSmall = (text: string, minText: string) =>
  m('weight-buffer-small', `weight_buffer ${text} cannot hold one weight tile of the linear array (${minText}); write a larger size or 'whole'`);
export const duplicatePower = (kind: string, firstLine: number) => m('duplicate-power', `'power ${kind}' is already set on line ${firstLine}`);
export const unknownEnergyKind = (got: string | undefined, suggestion: string | undefined) =>
  m('unknown-energy', `'energy' expects mac|onchip|ddr|offchip and a value${got === undefined ? '' : `, got ${q(got)}`}${didYouMean(suggestion)}`);

// ---- budgets and scenarios ----
export const unknownTask = (name: string, suggestion: string | undefined, known: readonly string[]) =>
  m('unknown-task', `unknown task ${q(name)}${suggestion ? didYouMean(suggestion) : known.length ? `; tasks: ${list(known)}` : ''}`);
export const unknownTarget = (name: string, suggestion: string | undefined, known: readonly string[]) =>
  m('unknown-target', `unknown hardware target ${q(name)}${suggestion ? didYouMean(suggestion) : known.length ? `; targets: ${list(known)}` : '; no hardware block is declared'}`);
export const missingComparison = (key: string, got: string | undefined) =>
  m('missing-comparison', `budget ${q(key)} needs a comparison (< <= > >=) then a limit${got === undefined ? '' : `, got ${q(got)}`}`);
export const percentRange = (value: number) => m('percent-range', `a share must be within 0..100 %, got ${value} %`);
export const fpsNotPositive = (value: number) => m('fps-positive', `fps must be greater than 0, got ${value}`);
export const emptyFrames = () => m('empty-frames', "'frames' lists no task: write e.g. 'frames semseg depth' or 'frames repeat 10 { semseg depth }'");
export const repeatCount = (got: string | undefined) => m('repeat-count', `'repeat' needs a whole number of times ≥ 1${got === undefined ? '' : `, got ${q(got)}`}`);
export const repeatNeedsBlock = () => m('repeat-block', "'repeat N' must be followed by a '{ … }' block of tasks");
export const designTooLarge = (what: string, limit: string) =>
  m('design-too-large', `the design has ${what}; the analysis handles at most ${limit} in bounded time (see docs/limits.md)`);
export const tooManyFrames = (limit: number) => m('too-many-frames', `the scenario expands to more than ${limit} frames`);
export const taskWeight = (got: string) => m('task-weight', `'weight' must be a number ≥ 0, got ${got}`);

// ---- budgets, evaluated by the engine (the engine words the figures; these say what the line means) ----
const onTarget = (target: string, multiTarget: boolean) => (multiTarget ? ` on ${target}` : '');
export const budgetViolated = (summary: string, target: string, multiTarget: boolean) =>
  m('budget-violated', `${summary}${onTarget(target, multiTarget)}`);
export const budgetImpossible = (summary: string, target: string, multiTarget: boolean) =>
  m('budget-impossible', `${summary}${onTarget(target, multiTarget)}`);
export const budgetNearLimit = (summary: string, target: string, multiTarget: boolean) =>
  m('budget-near-limit', `${summary}${onTarget(target, multiTarget)}`);
export const budgetNotEstimated = (summary: string, target: string, multiTarget: boolean) =>
  m('budget-not-estimated', `${summary}${onTarget(target, multiTarget)}`);
export const engineFailed = (detail: string) =>
  m('engine-failed', `the co-design engine failed on this design, so budgets and code lens are missing (please report it): ${detail}`);

// ---- explore (design spaces) ----
export const cannotVary = (key: string, reason: string, valid: readonly string[]) =>
  m('explore-cannot-vary', `${q(key)} cannot vary${reason ? `: ${reason}` : ''}; keys that can: ${list(valid)}`);
export const duplicateVary = (key: string, firstLine: number) => m('explore-duplicate-vary', `${q(key)} is already varied on line ${firstLine}`);
export const duplicateVaryValue = (key: string, value: string) => m('explore-duplicate-value', `${q(key)} lists ${q(value)} twice`);
export const emptyVary = (key: string, why: string) => m('explore-empty-space', `'vary ${key}' gives no value (${why}): the space would be empty`);
export const nothingVaried = (name: string) => m('explore-empty-space', `explore ${q(name)} varies nothing: add 'vary KEY [V1, V2, …]' or 'vary KEY A .. B [step S]'`);
export const badRange = (key: string, detail: string) => m('explore-range', `'vary ${key}' range: ${detail}`);
export const rangeTooLong = (key: string, count: number, max: number) =>
  m('explore-range', `'vary ${key}' range has ${count} values (at most ${max}): use a larger step`);
export const spaceTooLarge = (name: string, points: string, max: string, largest: string) =>
  m('explore-too-large', `explore ${q(name)} has ${points} points, more than ${max}: narrow a range or drop a key (the largest is ${largest})`);
export const spaceSearched = (name: string, points: string, above: string) =>
  m('explore-searched', `explore ${q(name)} has ${points} points (more than ${above}): it runs a seeded evolutionary search (NSGA-II), not every point`);
export const noObjective = (name: string) => m('explore-no-objective', `explore ${q(name)} has no objective: add e.g. 'minimize latency' or 'maximize fps'`);
export const badObjective = (sense: string, got: string | undefined, valid: readonly string[]) =>
  m('explore-objective', `'${sense}' expects one of ${list(valid)}${got === undefined ? ', got nothing' : `, got ${q(got)}`}`);
export const objectiveNoTask = (metric: string) => m('explore-objective', `${q(metric)} is a whole-frame figure: it takes no task`);
export const duplicateObjective = (label: string, firstLine: number) => m('explore-objective', `objective ${q(label)} is already set on line ${firstLine}`);
export const exploreNeedsTarget = (name: string, targets: readonly string[]) =>
  m('explore-no-target', targets.length === 0
    ? `explore ${q(name)} needs a hardware target, but the design declares none`
    : `explore ${q(name)} needs 'target T': the design declares ${targets.length} targets (${list(targets)})`);
