/**
 * The browser designer (served by `m3v serve`): monaco-editor on the left editing `.m3v` with the TextMate
 * grammar's colours, and the M3V language server — the same one VS Code runs — in a web worker, spoken to over LSP
 * for markers, completion, hover, formatting, code lens and semantic colouring; the extension's Resources and
 * Schedule panels on the right, fed by the same server's custom requests (language/src/server/protocol.ts) on every
 * edit. Edits stay in the page until the user presses Save (workspace designs) or Download.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/editor.all';
import languageConfiguration from '../../language/syntaxes/language-configuration.json';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { PanelKind, SourceLink } from '../protocol';
import { resolveSelection, type DesignSummary } from '../host/analyzer';
import { resourcesMessage, scheduleMessage, scheduleMode, selectionMessage } from '../host/messages';
import { COMPARE_STRATEGIES, DESIGN_SUMMARY, RESOURCES_VIEW, SCHEDULE_VIEW, SIMULATE_SCENARIO } from '../../language/src/server/protocol';
import { listDesigns, readDesign, saveDesign, type DesignEntry } from './designsApi';
import { LspClient } from './lspClient';
import { toMarker } from './monacoConvert';
import { registerLanguageProviders } from './providers';
import { DesignSpace, PanelFrames } from './panels';
import { columnDivider, PanelLayout } from './layout';
import { designerThemes, loadTokensProvider } from './textmateTokens';

// monaco's own editor worker (text model services); the language server runs in language.worker.js.
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new Worker('/designer/editor.worker.js'),
};

const LANGUAGE = 'm3v';

/** What the page exposes for the browser tests and for curious users in the console. */
interface DesignerState {
  /** ms from navigation start until the editor holds the first design, coloured, with its markers. */
  interactiveMs?: number;
  /** ms from navigation start until both panels have drawn the first design. */
  panelsMs?: number;
  /** The last views drawn: the document version the server answered for and the round trip (ms). */
  lastAnalysis?: { uri: string; version: number; elapsedMs: number; errors: number };
  /** Semantic tokens of the last answer, per design URL (the browser test checks they arrive from the server). */
  semanticTokens: Record<string, number>;
  rendered: Partial<Record<PanelKind, number>>;
  sentSeq: Partial<Record<PanelKind, number>>;
  editor?: monaco.editor.IStandaloneCodeEditor;
}
const state: DesignerState = { rendered: {}, sentSeq: {}, semanticTokens: {} };
(window as unknown as { m3vDesigner: DesignerState }).m3vDesigner = state;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusLine = byId<HTMLElement>('status');
const designSelect = byId<HTMLSelectElement>('design-select');
const saveButton = byId<HTMLButtonElement>('save');
const downloadButton = byId<HTMLButtonElement>('download');
const dirtyMark = byId<HTMLElement>('dirty');
const footer = byId<HTMLElement>('footer');
const compareBox = byId<HTMLInputElement>('compare');
const scenarioSelect = byId<HTMLSelectElement>('scenario-select');

/** The Schedule panel's mode controls follow the server's answer (the design's scenarios) and the current mode. */
function showScheduleMode(summary: DesignSummary): void {
  compareBox.checked = compare;
  const options = ['', ...summary.scenarios];
  if (Array.from(scenarioSelect.options).map((o) => o.value).join('\n') !== options.join('\n')) {
    scenarioSelect.replaceChildren(...options.map((name) => new Option(name ? `scenario ${name}` : 'one frame', name)));
  }
  scenarioSelect.value = scenario && summary.scenarios.includes(scenario) ? scenario : '';
  scenarioSelect.hidden = summary.scenarios.length === 0;
}

function setStatus(text: string, isError = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', isError);
}

function prefersLight(): boolean {
  return window.matchMedia('(prefers-color-scheme: light)').matches;
}

function registerLanguage(): void {
  monaco.languages.register({ id: LANGUAGE, extensions: ['.m3v'], aliases: ['M3V design', 'm3v'] });
  const c = languageConfiguration;
  monaco.languages.setLanguageConfiguration(LANGUAGE, {
    comments: { lineComment: c.comments.lineComment, blockComment: c.comments.blockComment as [string, string] },
    brackets: c.brackets as [string, string][],
    autoClosingPairs: c.autoClosingPairs,
    surroundingPairs: c.surroundingPairs.map(([open, close]) => ({ open, close })),
    indentationRules: {
      increaseIndentPattern: new RegExp(c.indentationRules.increaseIndentPattern),
      decreaseIndentPattern: new RegExp(c.indentationRules.decreaseIndentPattern),
    },
    folding: { markers: { start: new RegExp(c.folding.markers.start), end: new RegExp(c.folding.markers.end) } },
    wordPattern: new RegExp(c.wordPattern, 'g'),
  });
  monaco.editor.defineTheme('m3v-dark', { base: 'vs-dark', inherit: true, rules: designerThemes.dark, colors: {} });
  monaco.editor.defineTheme('m3v-light', { base: 'vs', inherit: true, rules: designerThemes.light, colors: {} });
}

// ------------------------------------------------------------------ designs and their models

interface OpenDesign {
  entry: DesignEntry;
  model: monaco.editor.ITextModel;
  /** monaco's alternative version id at the last load/save: equal means no unsaved edits. */
  savedVersion: number;
  /** The task and target the panels show for this design (resolved against the server's summary). */
  task: string;
  target: string;
  /** Diagnostics of the last publish: errors and others, for the footer. */
  errors: number;
  warnings: number;
}
const open = new Map<string, OpenDesign>();
let active: OpenDesign | undefined;
let entries: DesignEntry[] = [];

function isDirty(d: OpenDesign): boolean {
  return d.model.getAlternativeVersionId() !== d.savedVersion;
}

function refreshDirty(): void {
  const dirty = active ? isDirty(active) : false;
  dirtyMark.textContent = dirty ? '● unsaved edits' : '';
  saveButton.disabled = !active || !active.entry.writable || !dirty;
  saveButton.title = active && !active.entry.writable ? 'Samples are read-only: use Download to keep a copy' : 'Save to the file on disk';
  for (const option of Array.from(designSelect.options)) {
    const d = open.get(option.value);
    option.textContent = (d && isDirty(d) ? '● ' : '') + (entries.find((e) => e.url === option.value)?.label ?? option.value);
  }
}

// ------------------------------------------------------------------ the language server and panels

/** The Schedule panel's mode, for the whole page (it survives switching designs, like a panel's own toggle). */
let compare = false;
let scenario: string | undefined;
let focusBudget: string | undefined;
let seq = 0;

const panels = new PanelFrames({
  exploreStart: (name) => void designSpace.start(name),
  exploreCancel: () => void designSpace.cancel(),
  applyPoint: (name, index, values) => void designSpace.applyPoint(name, index, values),
  reveal: (link) => reveal(link),
  selectTask: (task) => active && select(active, { task }),
  selectTarget: (target) => active && select(active, { target }),
  rendered: (panel, n) => {
    state.rendered[panel] = n;
    if (state.panelsMs === undefined && state.rendered.resources !== undefined && state.rendered.schedule !== undefined) state.panelsMs = performance.now();
  },
});

function onDiagnostics(p: PublishDiagnosticsParams): void {
  const d = open.get(p.uri);
  // Diagnostics of a text the editor has already changed again are dropped: newer ones follow.
  if (!d || (p.version !== undefined && p.version !== d.model.getVersionId())) return;
  monaco.editor.setModelMarkers(d.model, 'm3v', p.diagnostics.map((x) => toMarker(x, monaco.MarkerSeverity)));
  d.errors = p.diagnostics.filter((x) => x.severity === 1).length;
  d.warnings = p.diagnostics.length - d.errors;
  if (d === active) showFooter(d);
}

function showFooter(d: OpenDesign): void {
  const took = state.lastAnalysis?.uri === d.entry.url ? ` · panels in ${state.lastAnalysis.elapsedMs.toFixed(1)} ms` : '';
  footer.textContent = `${d.errors} error${d.errors === 1 ? '' : 's'}, ${d.warnings} other${took}`;
  if (state.lastAnalysis?.uri === d.entry.url) state.lastAnalysis.errors = d.errors;
}

const lsp = new LspClient(new Worker('/designer/language.worker.js'), onDiagnostics, (message) => setStatus(message, true));

/** The Design Space panel's page side (panels.ts): runs in the server's explore worker, points applied as one edit. */
const designSpace = new DesignSpace({
  frames: panels,
  lsp,
  active: () => (active ? { uri: active.entry.url, version: active.model.getVersionId() } : undefined),
  applyEdits: (uri, version, edits) => {
    const d = open.get(uri);
    if (!d || d.model.getVersionId() !== version) return false;
    const ops = edits.map((e) => ({
      range: new monaco.Range(e.range.start.line + 1, e.range.start.character + 1, e.range.end.line + 1, e.range.end.character + 1),
      text: e.newText,
    }));
    // Stack elements around the operations: the whole point is one step of Undo.
    d.model.pushStackElement();
    d.model.pushEditOperations(null, ops, () => null);
    d.model.pushStackElement();
    return true;
  },
});
(window as unknown as { m3vDesignSpace: DesignSpace }).m3vDesignSpace = designSpace;

/**
 * At most one panel refresh in flight: while the server answers, newer edits only mark the design pending, so a
 * burst of keystrokes costs one round of view requests for the latest text rather than a queue of stale ones.
 */
let inFlight = false;
let pending: OpenDesign | undefined;

function requestViews(d: OpenDesign): void {
  if (inFlight) {
    pending = d;
    return;
  }
  inFlight = true;
  void refreshViews(d).finally(() => {
    inFlight = false;
    if (pending) {
      const next = pending;
      pending = undefined;
      requestViews(next);
    }
  });
}

async function refreshViews(d: OpenDesign): Promise<void> {
  const started = performance.now();
  const uri = d.entry.url;
  try {
    const summary = await lsp.custom(DESIGN_SUMMARY, { textDocument: { uri, version: d.model.getVersionId() } });
    if (d === active) designSpace.list(summary);
    d.task = resolveSelection(summary.tasks, d.task, '');
    d.target = resolveSelection(summary.targets, d.target, '');
    const selection = { textDocument: { uri, version: summary.version }, task: d.task, target: d.target };
    const mode = scheduleMode(summary, { compare, scenario });
    const [resources, schedule] = await Promise.all([
      lsp.custom(RESOURCES_VIEW, selection),
      mode.kind === 'scenario'
        ? lsp.schedule(SIMULATE_SCENARIO, { ...selection, scenario: mode.scenario })
        : lsp.schedule(mode.kind === 'compare' ? COMPARE_STRATEGIES : SCHEDULE_VIEW, selection),
    ]);
    if (d !== active) return;
    const n = ++seq;
    const picked = selectionMessage(summary, d.task, d.target);
    for (const [kind, message] of [['resources', resourcesMessage(n, resources, focusBudget)], ['schedule', scheduleMessage(n, schedule)]] as const) {
      if ('seq' in message) state.sentSeq[kind] = message.seq;
      panels.show(kind, message, picked);
    }
    showScheduleMode(summary);
    state.lastAnalysis = { uri, version: summary.version, elapsedMs: performance.now() - started, errors: d.errors };
    showFooter(d);
  } catch (error) {
    setStatus(`Language server: ${(error as Error).message}`, true);
  }
}

/** Another task/target or Schedule mode: the server answers from the analysis it has (nothing is re-analysed). */
function select(d: OpenDesign, change: { task?: string; target?: string }): void {
  if (change.task !== undefined) d.task = change.task;
  if (change.target !== undefined) d.target = change.target;
  requestViews(d);
}

/** The lens commands the server puts on code lenses (the same ids as the VS Code extension's commands). */
function registerLensCommands(): void {
  monaco.editor.registerCommand('m3v.showSchedule', (_accessor, args?: { task?: string }) => {
    if (!active) return;
    if (args?.task) select(active, { task: args.task });
    layout?.activate('panel-schedule');
  });
  monaco.editor.registerCommand('m3v.exploreDesignSpace', (_accessor, args?: { explore?: string }) => {
    document.getElementById('panel-explore')?.scrollIntoView({ block: 'nearest' });
    if (args?.explore) void designSpace.start(args.explore);
  });
  monaco.editor.registerCommand('m3v.showResources', (_accessor, args?: { budget?: string }) => {
    if (!active) return;
    focusBudget = args?.budget;
    requestViews(active);
    layout?.activate('panel-resources');
  });
}

function reveal(link: SourceLink): void {
  const d = open.get(link.uri);
  if (!d || !state.editor) return;
  if (d !== active) activate(d);
  const start = d.model.getPositionAt(link.start);
  const end = d.model.getPositionAt(link.end);
  const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
  state.editor.setSelection(range);
  state.editor.revealRangeInCenter(range);
  state.editor.focus();
}

function activate(d: OpenDesign): void {
  active = d;
  state.editor?.setModel(d.model);
  designSelect.value = d.entry.url;
  history.replaceState(null, '', `?design=${encodeURIComponent(d.entry.url)}`);
  document.title = `${d.entry.label} — M3V Designer`;
  refreshDirty();
  requestViews(d);
}

async function openDesign(url: string): Promise<void> {
  const existing = open.get(url);
  if (existing) return activate(existing);
  const entry = entries.find((e) => e.url === url);
  if (!entry) return setStatus(`No design at ${url}`, true);
  try {
    const text = await readDesign(url);
    const model = monaco.editor.createModel(text, LANGUAGE, monaco.Uri.parse(new URL(url, location.origin).href));
    const d: OpenDesign = { entry, model, savedVersion: model.getAlternativeVersionId(), task: '', target: '', errors: 0, warnings: 0 };
    model.onDidChangeContent(() => {
      if (d === active) refreshDirty();
      // Every edit reaches the server at once (LSP sync); the panels then ask for the views of that version.
      void lsp.change(url, model.getVersionId(), model.getValue());
      requestViews(d);
    });
    open.set(url, d);
    await lsp.open(url, model.getVersionId(), text);
    activate(d);
    setStatus('');
  } catch (error) {
    setStatus((error as Error).message, true);
  }
}

async function save(): Promise<void> {
  const d = active;
  if (!d || !d.entry.writable) return;
  const version = d.model.getAlternativeVersionId();
  try {
    await saveDesign(d.entry.url, d.model.getValue());
    d.savedVersion = version;
    refreshDirty();
    setStatus(`Saved ${d.entry.label}`);
  } catch (error) {
    setStatus((error as Error).message, true);
  }
}

function download(): void {
  const d = active;
  if (!d) return;
  const blob = new Blob([d.model.getValue()], { type: 'text/plain' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = d.entry.label.split('/').pop() ?? 'design.m3v';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The panel area's tabs/splits (layout.ts); made in start(), used by the lens commands. */
let layout: PanelLayout | undefined;

async function start(): Promise<void> {
  registerLanguage();
  registerLanguageProviders(monaco, LANGUAGE, lsp, {
    urlOf: (model) => [...open.values()].find((d) => d.model === model)?.entry.url,
    onSemanticTokens: (model, tokens) => {
      const url = [...open.values()].find((d) => d.model === model)?.entry.url;
      if (url) state.semanticTokens[url] = tokens;
    },
  });
  registerLensCommands();
  // Tabs (or resizable splits) for every panel frame added to #panels, and the editor/panels divider.
  layout = new PanelLayout(byId('panels'));
  columnDivider(byId('editor').parentElement!, byId('editor'));
  panels.add('resources', layout.newCell(), 'Resources');
  panels.add('schedule', layout.newCell(), 'Schedule');
  panels.add('explore', layout.newCell(), 'Design Space');
  // Colouring is a nicety: without the grammar engine the editor, markers and panels still work.
  const grammarLoad = loadTokensProvider('/designer/onig.wasm').then(
    (tokens) => void monaco.languages.setTokensProvider(LANGUAGE, tokens),
    (error: Error) => setStatus(`No syntax colouring: ${error.message}`, true),
  );
  const list = await listDesigns();
  entries = list.designs;
  byId<HTMLElement>('root').textContent = list.root;
  for (const group of ['workspace', 'samples'] as const) {
    const members = entries.filter((e) => e.group === group);
    if (members.length === 0) continue;
    const optgroup = document.createElement('optgroup');
    optgroup.label = group === 'workspace' ? 'Designs' : 'Samples (read-only)';
    for (const e of members) optgroup.append(new Option(e.label, e.url));
    designSelect.append(optgroup);
  }
  state.editor = monaco.editor.create(byId('editor'), {
    theme: prefersLight() ? 'm3v-light' : 'm3v-dark',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    // Semantic colouring from the language server on top of the grammar's (keys vs misspelt words, declared vs
    // referenced names): the same tokens VS Code gets.
    'semanticHighlighting.enabled': true,
  });
  window.matchMedia('(prefers-color-scheme: light)').addEventListener('change', () => monaco.editor.setTheme(prefersLight() ? 'm3v-light' : 'm3v-dark'));
  designSelect.addEventListener('change', () => void openDesign(designSelect.value));
  compareBox.addEventListener('change', () => {
    compare = compareBox.checked;
    if (active) select(active, {});
  });
  scenarioSelect.addEventListener('change', () => {
    scenario = scenarioSelect.value || undefined;
    if (active) select(active, {});
  });
  saveButton.addEventListener('click', () => void save());
  downloadButton.addEventListener('click', download);
  state.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void save());
  window.addEventListener('beforeunload', (event) => {
    // Unsaved edits are only in this page: ask before they are lost.
    if ([...open.values()].some(isDirty)) event.preventDefault();
  });
  const requested = new URLSearchParams(location.search).get('design');
  const first = entries.find((e) => e.url === requested) ?? entries.find((e) => e.url === list.initial) ?? entries[0];
  if (!first) {
    setStatus(`No .m3v designs in ${list.root}`, true);
    return;
  }
  await Promise.all([openDesign(first.url), grammarLoad]);
  state.interactiveMs = performance.now();
}

start().catch((error: Error) => setStatus(`The designer could not start: ${error.message}`, true));
