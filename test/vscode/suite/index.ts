/** Mocha entry loaded by @vscode/test-electron inside the extension host. */
import Mocha from 'mocha';
import { registerExtensionTests } from './extension.vtest';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  registerExtensionTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} VS Code test(s) failed`)) : resolve()));
  });
}
