/**
 * Shared set-up of the browser tests and the designer benchmark: Debian's Chromium through playwright-core, and
 * `m3v serve` (in-process, port 0) on a scratch copy of samples/ so tests can edit and save without touching the
 * repository. `chromiumPath()` is undefined when Chromium is absent (the caller skips or fails, see run.mjs).
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDesignerServer, type RunningServer } from '../../cli/serve/server';

export const repoRoot = join(__dirname, '..', '..');

export function chromiumPath(): string | undefined {
  const path = process.env.M3V_E2E_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A scratch workspace holding a copy of samples/, served with the designer bundles from dist/. */
export async function serveScratchSamples(): Promise<{ server: RunningServer; workspace: string }> {
  const workspace = mkdtempSync(join(tmpdir(), 'm3v-designer-'));
  cpSync(join(repoRoot, 'samples'), workspace, { recursive: true });
  const server = await startDesignerServer({ roots: { workspace }, port: 0, distDir: join(repoRoot, 'dist') });
  return { server, workspace };
}

/** Polls `probe` until it returns something other than undefined/false. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000, everyMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
