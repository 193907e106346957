/**
 * The HTTP server of `m3v serve`: the designer page, its bundles, the panels (the extension's own bundles in an
 * HTML shell with the designer's prelude), the design list, and reading and saving designs. Bound to 127.0.0.1
 * only. Requests must name this server in their Host header (a page on another site cannot reach it through DNS
 * rebinding), and a save needs a custom header a cross-site form cannot send.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { FileRefusal, MAX_DESIGN_BYTES, MAX_TRACE_BYTES, readRegularFile, writeFileAtomic } from '../../node/safeFiles';
import { basename, extname, join } from 'node:path';
import { makeNonce, panelHtml } from '../../webviews/host/panelHtml';
import { designerPageCsp, designerPageHtml } from '../../webviews/designer/pageHtml';
import { SAVE_HEADER } from '../../webviews/designer/designsApi';
import { listServedDesigns, resolveServedFile, type ServedRoots } from './designFiles';

export interface DesignerServerOptions {
  roots: ServedRoots;
  /** 0 picks a free port. */
  port: number;
  /** The built bundles: `<dist>/designer` and `<dist>/webviews`. */
  distDir: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.m3v': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
};

/** Designs are small text files; anything larger is a mistake, not a design (the same limit as reading one). */
const MAX_SAVE_BYTES = MAX_DESIGN_BYTES;

/**
 * No other site may frame the designer or its files (clickjacking a save). The panels are framed by the designer's
 * own page, so they allow the same origin only.
 */
const NO_FRAMING = { 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY' };
const SAME_ORIGIN_FRAMING = { 'Content-Security-Policy': "frame-ancestors 'self'", 'X-Frame-Options': 'SAMEORIGIN' };

const PANEL_TITLES = { resources: 'M3V Resources', schedule: 'M3V Schedule', explore: 'M3V Design Space' } as const;

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...NO_FRAMING, ...extra });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, error: string): void {
  send(res, status, JSON.stringify({ error }), CONTENT_TYPES['.json']);
}

/**
 * The request body, or undefined as soon as it passes `limit` (by Content-Length up front, or while streaming).
 * Over the limit, the rest is no longer buffered; the caller answers 413 and closes the connection, so the client
 * reads a real 413 instead of a reset.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume(); // drain without keeping it
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A bundle file by its base name only (no sub-paths): `/designer/main.js` → `<dist>/designer/main.js`. */
function serveAsset(res: ServerResponse, dir: string, name: string): void {
  const file = join(dir, basename(name));
  if (basename(name) !== name || !existsSync(file)) return sendError(res, 404, `no such asset: ${name}`);
  // Bundles are immutable for the life of the process; a rebuild restarts the server.
  send(res, 200, readFileSync(file), CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', { 'Cache-Control': 'max-age=300' });
}

export function startDesignerServer(options: DesignerServerOptions): Promise<RunningServer> {
  const { roots, distDir } = options;
  let allowedHosts = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.has(req.headers.host ?? '')) return sendError(res, 403, 'unexpected Host header');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'PUT' && (path.startsWith('/files/') || path.startsWith('/samples/'))) {
      if (req.headers[SAVE_HEADER.toLowerCase()] !== '1') return sendError(res, 403, `a save needs the ${SAVE_HEADER} header`);
      const target = resolveServedFile(roots, path);
      if (!target.ok) return sendError(res, target.status, target.error);
      if (!target.writable)
        return sendError(res, 403, path.startsWith('/samples/') ? 'samples shipped with m3v are read-only: download a copy instead' : 'only .m3v designs can be saved; routing traces are read-only');
      const body = await readBody(req, MAX_SAVE_BYTES);
      if (!body) {
        res.setHeader('Connection', 'close');
        return sendError(res, 413, `a design larger than ${MAX_SAVE_BYTES / 1024 / 1024} MiB is not saved`);
      }
      // Atomic (temporary file in the same folder, fsync, rename) and keeping the file's mode: a 0600 design stays 0600.
      try {
        writeFileAtomic(target.file, body, 'design');
      } catch (error) {
        if (error instanceof FileRefusal) return sendError(res, 409, error.message);
        throw error;
      }
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, `${req.method} is not supported`);
    if (path === '/' || path === '/index.html') {
      return send(res, 200, designerPageHtml(), CONTENT_TYPES['.html'], { ...NO_FRAMING, 'Content-Security-Policy': `${designerPageCsp()}; frame-ancestors 'none'` });
    }
    if (path === '/api/designs') return send(res, 200, JSON.stringify(listServedDesigns(roots)), CONTENT_TYPES['.json']);
    if (path.startsWith('/designer/')) return serveAsset(res, join(distDir, 'designer'), path.slice('/designer/'.length));
    if (path.startsWith('/webviews/')) return serveAsset(res, join(distDir, 'webviews'), path.slice('/webviews/'.length));
    const panel = /^\/panel\/(resources|schedule|explore)$/.exec(path)?.[1] as keyof typeof PANEL_TITLES | undefined;
    if (panel) {
      const html = panelHtml({
        panel,
        title: PANEL_TITLES[panel],
        cspSource: "'self'",
        scriptUri: `/webviews/${panel}.js`,
        styleUri: '/webviews/panel.css',
        nonce: makeNonce(() => randomBytes(1)[0] / 256),
        prelude: { scriptUri: '/designer/panel-shim.js', themeUri: '/designer/theme.css' },
      });
      return send(res, 200, html, CONTENT_TYPES['.html'], SAME_ORIGIN_FRAMING);
    }
    if (path.startsWith('/files/') || path.startsWith('/samples/')) {
      const target = resolveServedFile(roots, path);
      if (!target.ok) return sendError(res, target.status, target.error);
      // Only a regular file of bounded size, opened without blocking: a FIFO named x.m3v must not hang the server.
      let bytes: Buffer;
      try {
        bytes = readRegularFile(target.file, { maxBytes: extname(target.file) === '.json' ? MAX_TRACE_BYTES : MAX_DESIGN_BYTES, what: 'file' });
      } catch (error) {
        if (error instanceof FileRefusal) return sendError(res, 403, error.message);
        throw error;
      }
      return send(res, 200, bytes, CONTENT_TYPES[extname(target.file)]);
    }
    sendError(res, 404, `nothing at ${path}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      // A file-system error while serving one request is that request's 500, never the end of the server.
      if (!res.headersSent) sendError(res, 500, error.message);
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
