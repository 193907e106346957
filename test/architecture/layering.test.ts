/**
 * Keeps the "may import" table of ARCHITECTURE.md true. The table is copied here (LAYERS) and the two must agree, so
 * neither can drift; then every import of every `.ts` file under the source folders — static, type-only, re-export,
 * `import('…')` types, dynamic imports and requires, read from the TypeScript syntax tree, not by regular expression —
 * is resolved to a repository path (or a package, or a Node built-in) and checked against the row of the importing
 * file (its most specific path). A synthetic offender per kind of rule proves the check can fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';
import { layeringRows, mayImportTable } from './table';

const root = join(__dirname, '..', '..');

/** The folders whose code the table governs (test/, bench/ and scripts/ may import everything, so are not scanned). */
const SOURCE_ROOTS = ['engine', 'model', 'node', 'language', 'extension', 'webviews', 'cli'];

/**
 * The table of ARCHITECTURE.md, row by row: what each row may import besides its own files. Same notation as the
 * markdown (see its paragraph above the table). Change both together.
 */
const LAYERS: Record<string, string[]> = {
  'engine/design.ts': ['engine/explore/spec'],
  'engine/': ['engine/design', 'engine/memory/', 'engine/schedule/'],
  'engine/memory/': ['engine/', 'engine/design'],
  'engine/schedule/': ['engine/', 'engine/design', 'engine/memory/'],
  'engine/explore/': ['engine/', 'engine/design', 'engine/memory/', 'engine/schedule/'],
  'model/': ['engine/design', 'engine/routing-trace', 'engine/random'],
  'model/runtime/': ['model/', 'node/', 'engine/design', 'onnxruntime-node', 'pngjs', 'jpeg-js', 'node:*'],
  'node/': ['engine/design', 'engine/routing-trace', 'engine/explore/', 'node:*'],
  'language/src/': [
    'language/src/syntax/',
    'language/src/check/',
    'language/src/schema',
    'language/src/messages',
    'engine/',
    'engine/design',
    'engine/explore/spec',
  ],
  'language/src/syntax/': ['engine/design', 'language/src/messages'],
  'language/src/schema.ts': ['engine/', 'engine/design', 'engine/explore/spec'],
  'language/src/check/': [
    'language/src/',
    'language/src/syntax/',
    'language/src/schema',
    'language/src/messages',
    'engine/',
    'engine/design',
    'engine/explore/spec',
  ],
  'language/src/messages.ts': [],
  'language/src/services/': [
    'language/src/',
    'language/src/syntax/',
    'language/src/check/',
    'language/src/schema',
    'language/src/messages',
    'language/src/phases',
    'engine/',
    'engine/design',
    'engine/memory/',
    'engine/explore/',
    'vscode-languageserver-types',
  ],
  'language/src/phases.ts': ['language/src/', 'engine/', 'engine/design'],
  'language/src/server/': [
    'language/src/',
    'language/src/services/',
    'language/src/phases',
    'language/src/check/',
    'language/src/messages',
    'engine/',
    'engine/design',
    'engine/schedule/',
    'engine/explore/',
    'node/',
    'webviews/host/views',
    'webviews/protocol',
    'vscode-languageserver',
    'vscode-languageserver-textdocument',
    'vscode-languageserver-types',
    'node:*',
  ],
  'language/syntaxes/': [],
  'cli/': [
    'language/src/',
    'language/src/check/',
    'engine/',
    'engine/design',
    'engine/schedule/',
    'engine/explore/',
    'model/',
    'model/runtime/',
    'node/',
    'webviews/host/panelHtml',
    'webviews/designer/{designsApi,pageHtml}',
    'webviews/export/{analysisReport,report}',
    'package.json',
    'node:*',
  ],
  'extension/': [
    'language/src/server/protocol',
    'webviews/protocol',
    'webviews/host/{analyzer,messages,panelHtml}',
    'engine/units',
    'engine/routing-trace',
    'node/safeFiles',
    'vscode',
    'vscode-languageclient',
    'node:*',
  ],
  'webviews/': ['webviews/protocol', 'webviews/shared/controls', 'engine/units', 'chart.js'],
  'webviews/protocol.ts': ['engine/explore/result', 'engine/roofline'],
  'webviews/shared/controls.ts': ['webviews/', 'webviews/protocol', '@vscode/webview-ui-toolkit'],
  'webviews/host/': [
    'webviews/',
    'webviews/protocol',
    'webviews/host/{analyzer,messages,panelHtml}',
    'language/src/server/protocol',
    'engine/',
    'engine/design',
    'engine/memory/',
    'engine/schedule/',
  ],
  'webviews/host/{analyzer,messages,panelHtml}.ts': ['webviews/', 'webviews/protocol', 'language/src/server/protocol'],
  'webviews/designer/': [
    'webviews/',
    'webviews/protocol',
    'webviews/host/{analyzer,messages}',
    'language/src/server/protocol',
    'language/syntaxes/',
    'monaco-editor',
    'vscode-textmate',
    'vscode-oniguruma',
    'vscode-jsonrpc',
    'vscode-languageserver-protocol',
    'vscode-languageserver-types',
  ],
  'samples/': [],
  'test/': ['everything'],
  'bench/': ['everything'],
  'scripts/': ['everything'],
  'docs/': [],
};

/** The TypeScript entries build.mjs bundles for the browser (`platform: 'browser'`): read from it, so none is missed. */
function browserEntries(): string[] {
  const build = readFileSync(join(root, 'build.mjs'), 'utf8');
  return [...build.matchAll(/\{\s*entry:\s*'([^']+\.ts)'[^}]*platform:\s*'browser'/g)].map((m) => m[1]);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading imports

const rel = (path: string): string => relative(root, path).split(sep).join('/');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Module specifiers of a TypeScript text: every form that makes one module depend on another. */
function importsOf(text: string, fileName = 'x.ts'): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) specs.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if ((isImport || isRequire) && node.arguments.length >= 1) literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs;
}

const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]);
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** The repository file a relative specifier names, as TypeScript's bundler resolution finds it; undefined if none. */
function resolveRelative(fromFile: string, spec: string, exists: (path: string) => boolean): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(fromFile), spec));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) if (exists(candidate)) return candidate;
  return undefined;
}

const isFile = (repoPath: string) => existsSync(join(root, repoPath)) && statSync(join(root, repoPath)).isFile();

// ---------------------------------------------------------------------------------------------------------------
// The table as rules

/** `a/{b,c}.ts` → `a/b.ts`, `a/c.ts`. */
function expand(pattern: string): string[] {
  const m = /^(.*)\{([^}]*)\}(.*)$/.exec(pattern);
  return m ? m[2].split(',').flatMap((alt) => expand(m[1] + alt + m[3])) : [pattern];
}

/** A table entry names a repository path when it has a folder in it or is a file at the root; else a package. */
const isPathEntry = (entry: string) => !entry.startsWith('@') && (entry.includes('/') || isFile(entry));

interface Rules {
  /** Row keys (expanded) → the row as written. */
  rowKeys: Map<string, string>;
  rowOf(path: string): string | undefined;
  allows(row: string, target: { path?: string; spec: string }): boolean;
}

function rulesOf(layers: Record<string, string[]>): Rules {
  const rowKeys = new Map<string, string>();
  for (const row of Object.keys(layers)) for (const key of expand(row)) rowKeys.set(key, row);
  const rowOf = (path: string): string | undefined => {
    let best: string | undefined;
    for (const key of rowKeys.keys()) {
      const matches = key.endsWith('/') ? path.startsWith(key) : path === key;
      if (matches && (best === undefined || key.length > best.length)) best = key;
    }
    return best === undefined ? undefined : rowKeys.get(best);
  };
  const allows = (row: string, target: { path?: string; spec: string }): boolean => {
    const entries = layers[row].flatMap(expand);
    if (entries.includes('everything')) return true;
    if (target.path !== undefined) {
      const targetRow = rowOf(target.path);
      if (targetRow === row) return true;
      return entries.filter(isPathEntry).some((entry) => {
        if (entry.endsWith('/')) return target.path!.startsWith(entry) && targetRow === rowOf(entry);
        return target.path === entry || target.path === `${entry}.ts` || target.path === `${entry}/index.ts`;
      });
    }
    if (isNodeBuiltin(target.spec)) return entries.includes('node:*');
    return entries.includes(packageOf(target.spec));
  };
  return { rowKeys, rowOf, allows };
}

interface Edge {
  file: string;
  spec: string;
  /** The repository path of a relative import (undefined for packages, built-ins and what does not resolve). */
  path?: string;
}

function edgesOf(files: ReadonlyMap<string, string>, exists: (path: string) => boolean): { edges: Edge[]; unresolved: string[] } {
  const edges: Edge[] = [];
  const unresolved: string[] = [];
  for (const [file, text] of files) {
    for (const spec of importsOf(text, file)) {
      if (!spec.startsWith('.')) edges.push({ file, spec });
      else {
        const path = resolveRelative(file, spec, exists);
        if (path === undefined) unresolved.push(`${file}: '${spec}' names no file`);
        else edges.push({ file, spec, path });
      }
    }
  }
  return { edges, unresolved };
}

/** Every import the table does not allow, as `FILE (row ROW) imports SPEC`; files in no row are offenders too. */
function violations(files: ReadonlyMap<string, string>, layers: Record<string, string[]>, exists: (path: string) => boolean = isFile): string[] {
  const rules = rulesOf(layers);
  const { edges, unresolved } = edgesOf(files, exists);
  const out = [...unresolved];
  for (const file of files.keys()) if (rules.rowOf(file) === undefined) out.push(`${file} is in no row of the table`);
  for (const edge of edges) {
    const row = rules.rowOf(edge.file);
    if (row !== undefined && !rules.allows(row, edge)) out.push(`${edge.file} (row ${row}) imports ${edge.path ?? edge.spec}`);
  }
  return out;
}

const repoFiles = (): Map<string, string> => {
  const files = new Map<string, string>();
  for (const dir of SOURCE_ROOTS) for (const file of sourceFiles(join(root, dir))) files.set(rel(file), readFileSync(file, 'utf8'));
  return files;
};

// ---------------------------------------------------------------------------------------------------------------
// The checks

test('the table of ARCHITECTURE.md and the table of this test are the same', () => {
  const markdown = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
  assert.deepEqual(mayImportTable(markdown), LAYERS);
});

test('every entry of the table names something that exists, and every source file is in a row', () => {
  const missing: string[] = [];
  for (const [row, entries] of Object.entries(LAYERS)) {
    for (const key of expand(row)) if (!existsSync(join(root, key))) missing.push(`row ${key}`);
    for (const entry of entries.flatMap(expand).filter(isPathEntry)) {
      const found = entry.endsWith('/') ? existsSync(join(root, entry)) : isFile(entry) || isFile(`${entry}.ts`) || isFile(`${entry}/index.ts`);
      if (!found) missing.push(`${row} → ${entry}`);
    }
    for (const entry of entries.flatMap(expand).filter((e) => !isPathEntry(e) && e !== 'everything' && e !== 'node:*'))
      // `vscode` is the host's, typed by @types/vscode.
      if (!existsSync(join(root, 'node_modules', entry, 'package.json')) && !existsSync(join(root, 'node_modules', '@types', entry, 'package.json')))
        missing.push(`${row} → package ${entry}`);
  }
  assert.deepEqual(missing, []);
  const rules = rulesOf(LAYERS);
  assert.deepEqual(
    [...repoFiles().keys()].filter((f) => rules.rowOf(f) === undefined),
    [],
  );
});

test('every import of every source file is one its row may make', () => {
  const files = repoFiles();
  assert.ok(files.size > 150, `scanned ${files.size} files`);
  assert.deepEqual(violations(files, LAYERS), []);
});

test('per-row package rules: vscode only in extension/, onnxruntime-node only in model/runtime/, Node only where named', () => {
  const rowsAllowing = (what: string) =>
    Object.entries(LAYERS)
      .filter(([, entries]) => entries.includes(what))
      .map(([row]) => row);
  assert.deepEqual(rowsAllowing('vscode'), ['extension/']);
  assert.deepEqual(rowsAllowing('onnxruntime-node'), ['model/runtime/']);
  assert.deepEqual(rowsAllowing('node:*'), ['model/runtime/', 'node/', 'language/src/server/', 'cli/', 'extension/']);
  assert.deepEqual(rowsAllowing('vscode-languageserver'), ['language/src/server/']);
  // And in the code itself, independently of the row matching:
  const offenders: string[] = [];
  for (const [file, text] of repoFiles()) {
    for (const spec of importsOf(text, file)) {
      if (spec === 'vscode' && !file.startsWith('extension/')) offenders.push(`${file} imports vscode`);
      if (spec.startsWith('onnxruntime') && !file.startsWith('model/runtime/')) offenders.push(`${file} imports ${spec}`);
      if (isNodeBuiltin(spec) && /^(engine|model\/(?!runtime\/)|language\/src\/(?!server\/)|webviews)\//.test(file))
        offenders.push(`${file} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('what the browser bundles reach needs neither Node, nor vscode, nor onnxruntime', () => {
  const files = repoFiles();
  const { edges } = edgesOf(files, isFile);
  const from = new Map<string, Edge[]>();
  for (const e of edges) from.set(e.file, [...(from.get(e.file) ?? []), e]);
  const offenders: string[] = [];
  const entries = browserEntries();
  assert.ok(
    entries.includes('language/src/server/browser.ts') && entries.includes('webviews/designer/main.ts'),
    `browser entries: ${entries.join(', ')}`,
  );
  for (const entry of entries) {
    assert.ok(files.has(entry), `${entry} exists`);
    const seen = new Set<string>([entry]);
    const queue = [entry];
    while (queue.length > 0) {
      for (const e of from.get(queue.shift()!) ?? []) {
        if (e.path === undefined) {
          if (isNodeBuiltin(e.spec) || e.spec === 'vscode' || e.spec.startsWith('onnxruntime'))
            offenders.push(`${entry} reaches ${e.file} → ${e.spec}`);
        } else if (e.path.endsWith('.ts') && !seen.has(e.path)) {
          seen.add(e.path);
          queue.push(e.path);
        }
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the scanner sees every import form, from the syntax tree (not from strings or comments)', () => {
  const text = [
    `import a from 'x1';`,
    `import type { B } from "x2";`,
    `export * from './x3';`,
    `import 'x4';`,
    `const m = await import('x5');`,
    `const r = require('x6');`,
    `let t: import('x7').T;`,
    `import e = require('x8');`,
    `export { c } from 'x9';`,
    `// import z from 'not-a-comment-import';`,
    "const code = `require('tsx/cjs')`;",
    `const s = "import('not-in-a-string')";`,
  ].join('\n');
  assert.deepEqual(importsOf(text).sort(), ['./x3', 'x1', 'x2', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9']);
});

test('the check fails on offenders: one synthetic file per kind of rule', () => {
  // Paths are real folders (so rows and relative imports resolve as for real files); the texts are made up.
  const offender = (file: string, line: string) => violations(new Map([[file, line]]), LAYERS);
  // The three cycles issue 12 named, were they to come back:
  assert.deepEqual(offender('language/src/syntax/x.ts', `import { blockKindOf } from '../schema';`), [
    'language/src/syntax/x.ts (row language/src/syntax/) imports language/src/schema.ts',
  ]);
  assert.deepEqual(offender('language/src/services/x.ts', `import { SemanticTokensBuilder } from 'vscode-languageserver';`), [
    'language/src/services/x.ts (row language/src/services/) imports vscode-languageserver',
  ]);
  assert.deepEqual(offender('engine/memory/x.ts', `import type { LayerRouting } from '../schedule/routing';`), [
    'engine/memory/x.ts (row engine/memory/) imports engine/schedule/routing.ts',
  ]);
  // A folder entry does not reach a sub-folder with its own row; a file row is stricter than its folder's.
  assert.deepEqual(offender('model/onnx/x.ts', `import { x } from '../runtime/runner';`), [
    'model/onnx/x.ts (row model/) imports model/runtime/runner.ts',
  ]);
  assert.deepEqual(offender('webviews/host/messages.ts', `import { analyzeDesign } from '../../engine/analyze';`), [
    'webviews/host/messages.ts (row webviews/host/{analyzer,messages,panelHtml}.ts) imports engine/analyze.ts',
  ]);
  assert.deepEqual(offender('webviews/host/x.ts', `import { analyzeDesign } from '../../engine/analyze';`), []);
  // The protocol module may carry the explore result's type; a panel may not reach into the engine's explore code.
  assert.deepEqual(offender('webviews/protocol.ts', `import type { ExploreResult } from '../engine/explore/result';`), []);
  assert.deepEqual(offender('webviews/run/x.ts', `import { frameOfSpace } from '../../engine/explore/result';`), [
    'webviews/run/x.ts (row webviews/) imports engine/explore/result.ts',
  ]);
  // Packages and Node built-ins by row; a face below the faces; an import that names no file; a file in no row.
  assert.deepEqual(offender('engine/x.ts', `import * as vscode from 'vscode';\nimport { readFileSync } from 'node:fs';\nimport 'fs/promises';`), [
    'engine/x.ts (row engine/) imports vscode',
    'engine/x.ts (row engine/) imports node:fs',
    'engine/x.ts (row engine/) imports fs/promises',
  ]);
  assert.deepEqual(offender('model/x.ts', `import * as ort from 'onnxruntime-node';`), ['model/x.ts (row model/) imports onnxruntime-node']);
  assert.deepEqual(offender('extension/x.ts', `import { analyzeDesign } from '../engine/analyze';`), [
    'extension/x.ts (row extension/) imports engine/analyze.ts',
  ]);
  assert.deepEqual(offender('engine/x.ts', `import { main } from '../cli/main';`), ['engine/x.ts (row engine/) imports cli/main.ts']);
  assert.deepEqual(offender('engine/x.ts', `export * from './nowhere';`), [`engine/x.ts: './nowhere' names no file`]);
  assert.deepEqual(offender('elsewhere/x.ts', ''), ['elsewhere/x.ts is in no row of the table']);
  // …and passes what the table allows.
  assert.deepEqual(
    offender('model/runtime/x.ts', `import * as ort from 'onnxruntime-node';\nimport { join } from 'node:path';\nimport { x } from '../onnx/proto';`),
    [],
  );
});

test('the markdown parser reads entries, brace sets, reasons and refuses a malformed cell', () => {
  const md = [
    '| folder | owns | may import |',
    '|---|---|---|',
    '| `a/` | things | `b/`, `c/{d,e}`, `pkg` — why: `not/an/entry` |',
    '| `f.ts` | one file | `nothing` |',
    '',
  ].join('\n');
  assert.deepEqual(mayImportTable(md), { 'a/': ['b/', 'c/{d,e}', 'pkg'], 'f.ts': [] });
  assert.throws(() => mayImportTable(md.replace('`b/`, ', 'b/ and ')), /may import of `a\/`: .*only backticked entries/);
  assert.deepEqual(
    layeringRows(md).map((r) => r.row),
    ['a/', 'f.ts'],
  );
});

test('resolution follows TypeScript bundler resolution: FILE, FILE.ts, FOLDER/index.ts', () => {
  const exists = (p: string) => ['a/b.ts', 'a/c/index.ts', 'a/d.json'].includes(p);
  assert.equal(resolveRelative('a/x.ts', './b', exists), 'a/b.ts');
  assert.equal(resolveRelative('a/x.ts', './c', exists), 'a/c/index.ts');
  assert.equal(resolveRelative('a/e/x.ts', '../d.json', exists), 'a/d.json');
  assert.equal(resolveRelative('a/x.ts', './missing', exists), undefined);
});
