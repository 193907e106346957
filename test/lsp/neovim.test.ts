/**
 * The built server (`dist/server.js --stdio`) driven by a real generic client: Neovim's built-in LSP client, headless
 * (test/lsp/nvim/driver.lua, written for Debian 12's Neovim 0.7.2). On an LF, a CRLF, a CR-only and a non-ASCII
 * (emoji) file: diagnostics on open, a ranged edit fixing them, formatting (ranged edits, idempotent, line ends kept),
 * rename (applied by Neovim; a reserved word refused), completion (keys; nothing in a comment), hover and code lens.
 * The saved file is compared byte for byte with the expected text, so a lost line end or a misplaced edit fails.
 *
 * Skips, saying why, when `nvim` is not installed; CI installs Debian's `neovim` (.ci/run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESIGN } from './fixture';

const root = join(__dirname, '..', '..');
const server = join(root, 'dist', 'server.js');
const driver = join(__dirname, 'nvim', 'driver.lua');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const nvimVersion = nvim.status === 0 ? nvim.stdout.split('\n')[0] : undefined;
const skip = !nvimVersion
  ? 'nvim is not installed (CI installs Debian’s neovim: apt-get install neovim)'
  : !existsSync(server)
    ? 'dist/server.js is missing: run `npm run build`'
    : false;
if (skip) console.log(`# neovim test skipped: ${skip}`);
else console.log(`# driving the server with ${nvimVersion}`);

/** The emoji variant: a one-line moe block with a string holding an emoji before `top_k`, so positions after it count. */
const EMOJI = DESIGN.replace(/ {2}moe \{[^}]*\}\n/, '  moe { routing trace "😀/frame.json"; layers odd; experts 8; top_k 2; hidden 2x }\n');
const CASES = [
  { name: 'LF', eol: '\n', base: DESIGN },
  { name: 'CRLF', eol: '\r\n', base: DESIGN },
  { name: 'CR-only', eol: '\r', base: DESIGN },
  { name: 'emoji (UTF-16 positions)', eol: '\n', base: EMOJI },
];

interface Diag {
  lnum: number;
  col: number;
  message: string;
  code: string;
}
interface Response<T> {
  result?: T;
  err?: { code: number; message: string };
}
interface Edit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}
interface Result {
  code: number;
  error?: string;
  fileformat: string;
  final_fileformat: string;
  open_diagnostics: Diag[];
  fixed_diagnostics: Diag[];
  emoji_diagnostics?: Diag[];
  emoji_expected?: { lnum: number; col: number };
  emoji_actions?: Response<{ title: string; edit: { changes: Record<string, Edit[]> } }[]>;
  emoji_hover?: Response<{ contents: { value: string } }>;
  emoji_hover_position?: { line: number; character: number };
  format_edits: Response<Edit[]>;
  after_format: string[];
  format_again: Response<Edit[]>;
  rename_reserved: Response<unknown>;
  after_rename: string[];
  completion: Response<{ label: string }[] | { items: { label: string }[] }>;
  completion_in_comment: Response<unknown[] | null>;
  hover: Response<{ contents: { value: string } }>;
  codelens: Response<{ range: { start: { line: number } }; command: { title: string; command: string } }[]>;
}

const labelsOf = (r: Result['completion']) => (Array.isArray(r.result) ? r.result : (r.result?.items ?? [])).map((i) => i.label);

for (const c of CASES) {
  test(`Neovim drives the server on a ${c.name} file`, { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3v-nvim-'));
    try {
      const file = join(dir, 'design.m3v');
      const out = join(dir, 'result.json');
      const broken = c.base.replace('  heads 4', '  heads 5').replace(/\n/g, c.eol);
      writeFileSync(file, broken);
      // The emoji case names a trace under an emoji folder: it exists (an empty trace), so its only diagnostics are the
      // ones the test provokes (a missing trace gets a `trace-not-used` warning).
      mkdirSync(join(dir, '😀'));
      writeFileSync(join(dir, '😀', 'frame.json'), JSON.stringify({ format: 'm3v-routing-trace', version: 1, layers: [] }));
      const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${driver}`], {
        env: {
          ...process.env,
          M3V_SERVER: server,
          M3V_NODE: process.execPath,
          M3V_FILE: file,
          M3V_OUT: out,
          M3V_EMOJI: c.base === EMOJI ? '1' : '0',
        },
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.ok(existsSync(out), `the driver wrote no result (status ${run.status}, signal ${run.signal}): ${run.stderr}`);
      const r = JSON.parse(readFileSync(out, 'utf8')) as Result;
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.code, 0);
      assert.equal(r.fileformat, { '\n': 'unix', '\r\n': 'dos', '\r': 'mac' }[c.eol], 'Neovim read the line ends as written');

      // Diagnostics: one error on the heads line (0-based line 4), then none after the ranged edit.
      assert.equal(r.open_diagnostics.length, 1, JSON.stringify(r.open_diagnostics));
      assert.equal(r.open_diagnostics[0].lnum, 4);
      assert.equal(r.open_diagnostics[0].col, 8, 'on the 5 of `  heads 5`');
      assert.match(r.open_diagnostics[0].message, /dim 64 is not divisible by heads 5/);
      assert.deepEqual(r.fixed_diagnostics, []);

      if (c.base === EMOJI) {
        // The error sits after the emoji: Neovim converts the server's UTF-16 column to bytes (😀 = 2 units, 4 bytes).
        const d = r.emoji_diagnostics!.find((x) => x.code === 'top-k-range');
        assert.ok(d, JSON.stringify(r.emoji_diagnostics));
        assert.deepEqual({ lnum: d.lnum, col: d.col }, r.emoji_expected);
        const clamp = r.emoji_actions!.result!.find((a) => a.title === 'Clamp top_k to experts (8)');
        assert.ok(clamp, JSON.stringify(r.emoji_actions));
        // `  moe { routing trace "` is 23 units, 😀 2, `/frame.json"; layers odd; experts 8; top_k ` 43 → '20' at 68.
        const [edit] = Object.values(clamp.edit.changes)[0];
        assert.deepEqual(edit.range, { start: { line: 6, character: 68 }, end: { line: 6, character: 70 } });
        assert.deepEqual(r.emoji_hover_position, { line: 6, character: 63 }, 'the cursor on top_k, in UTF-16 units');
        assert.match(r.emoji_hover!.result!.contents.value, /\*\*top_k\*\*/);
      }

      // Formatting: the two hand-messed lines come back as two one-line edits; a second request has nothing to do.
      const edits = r.format_edits.result!;
      assert.equal(edits.length, 2, JSON.stringify(edits));
      assert.deepEqual(
        edits.map((e) => e.range.end.line - e.range.start.line),
        [1, 1],
      );
      assert.deepEqual(
        edits.map((e) => e.newText),
        [`  patch 16${c.eol}`, `  depth 4${c.eol}`],
      );
      assert.deepEqual(r.format_again.result ?? [], [], 'formatting is idempotent');
      assert.deepEqual(r.after_format, c.base.split('\n').slice(0, -1), 'the buffer after formatting is the canonical text, no line lost');

      // Rename: 'repeat' refused with a clear error; 'seg' applied to the declaration, the budget and the scenario.
      assert.match(r.rename_reserved.err?.message ?? '', /'repeat' is a reserved word/);
      const renamed = c.base.replace('task semseg', 'task seg').replace('latency semseg', 'latency seg').replace('{ semseg depth }', '{ seg depth }');
      assert.deepEqual(r.after_rename, renamed.split('\n').slice(0, -1));

      // Completion: hardware keys not yet set (device and clock are); nothing inside a comment after a space.
      const labels = labelsOf(r.completion);
      for (const key of ['bandwidth', 'linear', 'schedule', 'weights']) assert.ok(labels.includes(key), `${key} in ${labels.join()}`);
      assert.ok(!labels.includes('device') && !labels.includes('clock'), 'keys already set are left out');
      assert.deepEqual(r.completion_in_comment.result ?? [], []);

      // Hover on the clock value: 1 / 200 MHz = 5.00 ns.
      assert.match(r.hover.result!.contents.value, /one cycle = \*\*5\.00 ns\*\*/);

      // Code lens: the model facts on line 0, engine numbers on the tasks; title-only for a generic client.
      const lenses = r.codelens.result!;
      assert.ok(lenses.length >= 5, JSON.stringify(lenses));
      assert.equal(lenses[0].range.start.line, 0);
      assert.equal(lenses[0].command.title, '17 tokens · head dim 16 · 4 blocks · 8 experts × 2 MoE layers, top-2');
      assert.ok(
        lenses.every((l) => l.command.command === ''),
        'no VS Code-only command ids',
      );

      // The saved file: canonical, renamed, and in the line ending it was written with.
      assert.equal(r.final_fileformat, r.fileformat);
      assert.equal(readFileSync(file, 'utf8'), renamed.replace(/\n/g, c.eol));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
