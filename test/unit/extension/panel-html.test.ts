import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../webviews/host/panelHtml';

test('nonce is 32 alphanumerics and follows the random source', () => {
  const n = makeNonce(() => 0);
  assert.equal(n, 'A'.repeat(32));
  assert.match(makeNonce(), /^[A-Za-z0-9]{32}$/);
  assert.equal(makeNonce(() => 0.999999).at(0), '9');
});

test('CSP denies by default and allows scripts only with the nonce', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'N0NCE');
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-N0NCE'"]);
  assert.ok(!csp.includes('unsafe-inline'));
  assert.ok(!csp.includes('unsafe-eval'));
  assert.deepEqual(directives.get('img-src'), ['https://x.vscode-cdn.net', 'data:']);
});

test('panel HTML puts the nonce on every script and stylesheet and escapes URIs', () => {
  const html = panelHtml({
    panel: 'schedule',
    title: 'M3V <Schedule>',
    cspSource: 'https://x',
    scriptUri: 'https://x/a.js?q="1"',
    styleUri: 'https://x/p.css',
    nonce: 'abc',
  });
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.ok(scripts[0].includes('nonce="abc"'));
  assert.ok(html.includes('src="https://x/a.js?q=&quot;1&quot;"'));
  assert.ok(html.includes('<title>M3V &lt;Schedule&gt;</title>'));
  assert.ok(html.includes('data-panel="schedule"'));
  assert.ok(/<link rel="stylesheet" nonce="abc"/.test(html));
  // FAST (under the toolkit) reads the nonce for its probe <style> element from this meta tag.
  assert.ok(html.includes('<meta property="csp-nonce" content="abc">'));
});
