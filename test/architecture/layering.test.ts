/**
 * Keeps the layering of ARCHITECTURE.md true: the pure core runs in Node, a web worker and a browser, so `engine/`
 * (outside `model/runtime/`) and `language/` (outside its server entry) import neither `vscode`, nor a Node
 * built-in, nor onnxruntime-node; and nothing below the faces imports a face (`cli/`, `extension/`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Module specifiers of static imports, re-exports, dynamic imports and requires. */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/g,
    /\bexport\s+[^'";]*?from\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) specs.push(m[1]);
  return specs;
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function isForbiddenInPureCore(spec: string): boolean {
  return spec === 'vscode' || spec.startsWith('onnxruntime') || nodeBuiltins.has(spec) || spec.startsWith('node:');
}

function rel(path: string): string {
  return relative(root, path).split(sep).join('/');
}

test('engine/ outside runtime/ is pure: no vscode, no Node built-ins, no onnxruntime', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'engine'))) {
    if (rel(file).startsWith('model/runtime/')) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (isForbiddenInPureCore(spec)) offenders.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('language/ outside its server entry is pure and never imports a face or the runtime', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'language', 'src'))) {
    if (rel(file).startsWith('language/src/server/')) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (isForbiddenInPureCore(spec)) offenders.push(`${rel(file)} imports ${spec}`);
      if (/(^|\/)(cli|extension)\//.test(spec) || spec.includes('model/runtime')) offenders.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('engine/ never imports language/, cli/ or extension/', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'engine'))) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (/(^|\/)(language|cli|extension|webviews)\//.test(spec)) offenders.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the import scanner sees every import form (so the checks above can fail)', () => {
  const text = `import a from 'x1';\nimport type { B } from "x2";\nexport * from './x3';\nimport 'x4';\nconst m = await import('x5');\nconst r = require('x6');`;
  assert.deepEqual(importsOf(text).sort(), ['./x3', 'x1', 'x2', 'x4', 'x5', 'x6']);
});

test('webviews/ (panels, their host side, the browser designer) import neither vscode, nor Node, nor a face', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'webviews'))) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (isForbiddenInPureCore(spec)) offenders.push(`${rel(file)} imports ${spec}`);
      if (/(^|\/)(cli|extension)\//.test(spec) || spec.includes('model/runtime')) offenders.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the extension host analyses nothing: extension/ imports no engine analysis, no language front end, no view builder', () => {
  // The language server is the only process that analyses (issue 12): the extension asks it through the custom
  // requests of language/src/server/protocol.ts. Allowed from below: that protocol (types and names), the panels'
  // protocol and host-side message builders, and pure formatting helpers (units) and types.
  const allowed = [
    /(^|\/)language\/src\/server\/protocol$/,
    /(^|\/)webviews\/protocol$/,
    /(^|\/)webviews\/host\/(analyzer|messages|panelHtml)$/,
    /(^|\/)engine\/units$/,
    /(^|\/)engine\/routing-trace$/,
  ];
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'extension'))) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const below = /(^|\/)(engine|language|webviews)\//.test(spec);
      if (below && !allowed.some((a) => a.test(spec))) offenders.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the panel host modules the extension may import do not reach the engine analysis either', () => {
  const offenders: string[] = [];
  for (const name of ['analyzer.ts', 'messages.ts', 'panelHtml.ts']) {
    const file = join(root, 'webviews', 'host', name);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (/(^|\/)engine\//.test(spec) || /\/views$/.test(spec) || /language\/src\/(?!server\/protocol$)/.test(spec)) offenders.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('engine/memory/ imports engine/schedule/ for types only (the schedule and its scenario energy sit above the memory plan)', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'engine', 'memory'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bimport\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/g))
      if (/(^|\/)schedule\//.test(m[2]) && !m[1]) offenders.push(`${rel(file)} imports ${m[2]}`);
  }
  assert.deepEqual(offenders, []);
});
