/**
 * The built language server end to end over stdio: initialize → didOpen (one error) → publishDiagnostics → completion,
 * hover, definition, rename, symbols, formatting, code lens → didChange fixing it → empty diagnostics → shutdown/exit.
 * Needs dist/server.js (`npm test` builds before testing).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DESIGN } from './fixture';

const server = join(__dirname, '..', '..', 'dist', 'server.js');
const uri = 'file:///stdio/design.m3v';
let child: ChildProcess;
let connection: MessageConnection;
const diagnostics: PublishDiagnosticsParams[] = [];
let notify: (() => void) | undefined;

/**
 * The next diagnostics published after this call (of `version`, when given: an earlier edit's diagnostics may still
 * arrive after a later edit is sent, since the server publishes after its debounce).
 */
function nextDiagnostics(version?: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
  const seen = diagnostics.length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no publishDiagnostics${version === undefined ? '' : ` of version ${version}`} in time`)),
      timeoutMs,
    );
    notify = () => {
      const found = diagnostics.slice(seen).find((p) => version === undefined || p.version === version);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
  });
}

before(() => {
  assert.ok(existsSync(server), 'dist/server.js is missing: run `node build.mjs` first');
  child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.push(p);
    notify?.();
  });
  connection.listen();
});

after(() => {
  connection?.dispose();
  child?.kill();
});

test('the server speaks LSP over stdio, end to end', async () => {
  const init = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const caps = (init as { capabilities: Record<string, unknown> }).capabilities;
  for (const c of [
    'completionProvider',
    'hoverProvider',
    'definitionProvider',
    'referencesProvider',
    'renameProvider',
    'documentSymbolProvider',
    'documentFormattingProvider',
    'codeLensProvider',
    'semanticTokensProvider',
    'foldingRangeProvider',
  ]) {
    assert.ok(caps[c], `capability ${c}`);
  }
  await connection.sendNotification('initialized', {});

  const broken = DESIGN.replace('  heads 4', '  heads 5');
  const first = nextDiagnostics();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'm3v', version: 1, text: broken } });
  const published = await first;
  assert.equal(published.diagnostics.length, 1);
  assert.equal(published.version, 1);
  assert.match(published.diagnostics[0].message as string, /dim 64 is not divisible by heads 5/);
  assert.equal(published.diagnostics[0].range.start.line, 4, 'on the heads line');

  const completion = await connection.sendRequest<{ label: string }[]>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 16, character: 9 },
  });
  assert.ok(
    completion.some((c) => c.label === 'zcu102'),
    'devices after `device`',
  );

  const hover = await connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', {
    textDocument: { uri },
    position: { line: 4, character: 3 },
  });
  assert.match(hover.contents.value, /\*\*heads\*\*/);

  const definition = await connection.sendRequest<{ range: { start: { line: number } } }[]>('textDocument/definition', {
    textDocument: { uri },
    position: { line: 20, character: 12 },
  });
  assert.equal(definition[0].range.start.line, 13, 'semseg in the budget → its task line');

  const rename = await connection.sendRequest<{ changes: Record<string, unknown[]> }>('textDocument/rename', {
    textDocument: { uri },
    position: { line: 13, character: 6 },
    newName: 'seg',
  });
  assert.equal(rename.changes[uri].length, 3, 'declaration + budget + scenario');

  const symbols = await connection.sendRequest<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['tiny', 'semseg', 'depth', 'board', 'budget board', 'drive'],
  );

  const messy = broken.replace('  depth 4', '      depth 4');
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: messy }] });
  const edits = await connection.sendRequest<{ newText: string; range: { start: { line: number }; end: { line: number } } }[]>(
    'textDocument/formatting',
    { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } },
  );
  assert.deepEqual(
    edits,
    [{ range: { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } }, newText: '  depth 4\n' }],
    'one line edited, not the whole document',
  );

  // Bad params: a clear InvalidParams error (-32602), never a TypeError.
  for (const [method, params, why] of [
    ['textDocument/hover', { textDocument: { uri } }, /'position' is missing/],
    ['textDocument/rename', { textDocument: { uri }, position: { line: 13, character: 6 } }, /'newName' is missing/],
    ['textDocument/completion', {}, /textDocument\.uri/],
    ['textDocument/references', { textDocument: { uri }, position: { line: 13, character: 6 } }, /includeDeclaration/],
  ] as const) {
    await assert.rejects(connection.sendRequest(method, params), (e: { code: number; message: string }) => {
      assert.equal(e.code, -32602, method);
      assert.match(e.message, why);
      assert.doesNotMatch(e.message, /TypeError|Cannot read/);
      return true;
    });
  }
  await assert.rejects(
    connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: { line: 14, character: 6 }, newName: 'repeat' }),
    /reserved word/,
  );

  const fixed = nextDiagnostics(3);
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: DESIGN }] });
  const clean = await fixed;
  assert.deepEqual(clean.diagnostics, []);
  assert.equal(clean.version, 3, 'diagnostics carry the document version');

  const lenses = await connection.sendRequest<{ command: { title: string; command: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses[0].command.title, '17 tokens · head dim 16 · 4 blocks · 8 experts × 2 MoE layers, top-2');
  assert.ok(
    lenses.every((l) => l.command.command === ''),
    'a generic client gets title-only lenses',
  );
  assert.ok(lenses.length > 4);

  await connection.sendRequest('shutdown');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await connection.sendNotification('exit');
  assert.equal(await exited, 0);
});
