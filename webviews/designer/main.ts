/**
 * The browser designer (served by `m3v serve`): monaco-editor on the left editing `.m3v` with the TextMate
 * grammar's colours and the language services (in a web worker) for markers, completion, hover and formatting;
 * the extension's Resources and Schedule panels on the right, fed from the same worker on every edit.
 * Edits stay in the page until the user presses Save (workspace designs) or Download.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/editor.all';
import languageConfiguration from '../../language/syntaxes/language-configuration.json';
import type { PanelKind, SourceLink } from '../protocol';
import { listDesigns, readDesign, saveDesign, type DesignEntry } from './designsApi';
import { toMarker } from './monacoConvert';
import { registerLanguageProviders } from './providers';
import { PanelFrames } from './panels';
import { designerThemes, loadTokensProvider } from './textmateTokens';
import { WorkerClient } from './workerClient';
import type { AnalysisMessage } from './workerProtocol';

// monaco's own editor worker (text model services); our language runs in language.worker.js.
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
  lastAnalysis?: { uri: string; version: number; elapsedMs: number; errors: number };
  rendered: Partial<Record<PanelKind, number>>;
  sentSeq: Partial<Record<PanelKind, number>>;
  editor?: monaco.editor.IStandaloneCodeEditor;
}
const state: DesignerState = { rendered: {}, sentSeq: {} };
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

/** The Schedule panel's mode controls follow the worker's answer (the design's scenarios, the current mode). */
function showScheduleMode(m: AnalysisMessage): void {
  compareBox.checked = m.compare;
  const options = ['', ...m.scenarios];
  if (Array.from(scenarioSelect.options).map((o) => o.value).join('\n') !== options.join('\n')) {
    scenarioSelect.replaceChildren(...options.map((name) => new Option(name ? `scenario ${name}` : 'one frame', name)));
  }
  scenarioSelect.value = m.scenario ?? '';
  scenarioSelect.hidden = m.scenarios.length === 0;
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

// ------------------------------------------------------------------ the language worker and panels

const panels = new PanelFrames({
  reveal: (link) => reveal(link),
  selectTask: (task) => active && worker.select(active.entry.url, { task }),
  selectTarget: (target) => active && worker.select(active.entry.url, { target }),
  rendered: (panel, seq) => {
    state.rendered[panel] = seq;
    if (state.panelsMs === undefined && state.rendered.resources !== undefined && state.rendered.schedule !== undefined) state.panelsMs = performance.now();
  },
});

/**
 * At most one update in flight: while the worker analyses, newer edits only replace the pending text, so a burst
 * of keystrokes costs one analysis of the latest text rather than a queue of stale ones.
 */
let inFlight = false;
let pending: OpenDesign | undefined;

function requestAnalysis(d: OpenDesign): void {
  if (inFlight) {
    pending = d;
    return;
  }
  inFlight = true;
  worker.update(d.entry.url, d.model.getVersionId(), d.model.getValue());
}

function onAnalysis(m: AnalysisMessage): void {
  inFlight = false;
  const d = open.get(m.uri);
  if (d && d.model.getVersionId() === m.version) {
    monaco.editor.setModelMarkers(d.model, 'm3v', m.diagnostics.map((x) => toMarker(x, monaco.MarkerSeverity)));
  }
  if (d && d === active) {
    const errors = m.diagnostics.filter((x) => x.severity === 1).length;
    state.lastAnalysis = { uri: m.uri, version: m.version, elapsedMs: m.elapsedMs, errors };
    for (const [kind, message] of [['resources', m.resources], ['schedule', m.schedule]] as const) {
      if ('seq' in message) state.sentSeq[kind] = message.seq;
      panels.show(kind, message, m.selection);
    }
    showScheduleMode(m);
    const warnings = m.diagnostics.length - errors;
    footer.textContent = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} other · analysed in ${m.elapsedMs.toFixed(1)} ms`;
  }
  if (pending) {
    const next = pending;
    pending = undefined;
    requestAnalysis(next);
  }
}

const worker = new WorkerClient(new Worker('/designer/language.worker.js'), onAnalysis, (message) => {
  inFlight = false;
  setStatus(`Language worker: ${message}`, true);
});

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
  requestAnalysis(d);
}

async function openDesign(url: string): Promise<void> {
  const existing = open.get(url);
  if (existing) return activate(existing);
  const entry = entries.find((e) => e.url === url);
  if (!entry) return setStatus(`No design at ${url}`, true);
  try {
    const text = await readDesign(url);
    const model = monaco.editor.createModel(text, LANGUAGE, monaco.Uri.parse(new URL(url, location.origin).href));
    const d: OpenDesign = { entry, model, savedVersion: model.getAlternativeVersionId() };
    model.onDidChangeContent(() => {
      if (d === active) refreshDirty();
      requestAnalysis(d);
    });
    open.set(url, d);
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

async function start(): Promise<void> {
  registerLanguage();
  registerLanguageProviders(monaco, LANGUAGE, worker, (model) => [...open.values()].find((d) => d.model === model)?.entry.url);
  panels.add('resources', byId('panels'), 'Resources');
  panels.add('schedule', byId('panels'), 'Schedule');
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
    'semanticHighlighting.enabled': false,
  });
  window.matchMedia('(prefers-color-scheme: light)').addEventListener('change', () => monaco.editor.setTheme(prefersLight() ? 'm3v-light' : 'm3v-dark'));
  designSelect.addEventListener('change', () => void openDesign(designSelect.value));
  compareBox.addEventListener('change', () => active && worker.select(active.entry.url, { compare: compareBox.checked }));
  scenarioSelect.addEventListener('change', () => active && worker.select(active.entry.url, { scenario: scenarioSelect.value || null }));
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
