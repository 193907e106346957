/**
 * Colouring in the designer comes from the SAME TextMate grammar VS Code uses (`language/syntaxes/m3v.tmLanguage.json`,
 * bundled), run by vscode-textmate over the Oniguruma WebAssembly build — so a token has the same scope in both
 * editors, not an approximation by a second tokenizer. Each token's innermost scope becomes its monaco token type;
 * monaco themes match token types by dot-separated prefix, like TextMate themes (see `designerThemes`).
 */
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import grammarJson from '../../language/syntaxes/m3v.tmLanguage.json';

/** What monaco's `setTokensProvider` needs (structurally; keeps monaco out of this module's imports). */
export interface LineTokens {
  tokens: { startIndex: number; scopes: string }[];
  endState: TokenState;
}

export class TokenState {
  constructor(readonly stack: textmate.StateStack) {}
  clone(): TokenState {
    return new TokenState(this.stack.clone());
  }
  equals(other: TokenState): boolean {
    return other instanceof TokenState && other.stack.equals(this.stack);
  }
}

export interface TokensProvider {
  getInitialState(): TokenState;
  tokenize(line: string, state: TokenState): LineTokens;
}

export async function loadTokensProvider(wasmUrl: string): Promise<TokensProvider> {
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`could not load the grammar engine (${wasmUrl}: HTTP ${response.status})`);
  await oniguruma.loadWASM(await response.arrayBuffer());
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(JSON.stringify(grammarJson), 'm3v.tmLanguage.json'),
  });
  const grammar = await registry.loadGrammar('source.m3v');
  if (!grammar) throw new Error('the m3v grammar did not load');
  return {
    getInitialState: () => new TokenState(textmate.INITIAL),
    tokenize(line, state) {
      const result = grammar.tokenizeLine(line, state.stack);
      return {
        tokens: result.tokens.map((t) => ({ startIndex: t.startIndex, scopes: t.scopes[t.scopes.length - 1] })),
        endState: new TokenState(result.ruleStack),
      };
    },
  };
}

/**
 * Token colours of VS Code's Dark+ and Light+ themes for the scopes the grammar produces, then for the language
 * server's semantic token types (monaco matches a semantic token by its type name, as a TextMate scope): the
 * grammar cannot tell a task named in a budget line from any other word, the server can (`variable`).
 */
export const designerThemes = {
  dark: [
    { token: 'comment', foreground: '6A9955' },
    { token: 'string', foreground: 'CE9178' },
    { token: 'constant.character.escape', foreground: 'D7BA7D' },
    { token: 'constant.numeric', foreground: 'B5CEA8' },
    { token: 'constant.language', foreground: '569CD6' },
    { token: 'keyword.other.block', foreground: 'C586C0' },
    { token: 'keyword.other.unit', foreground: '569CD6' },
    { token: 'keyword.operator', foreground: 'D4D4D4' },
    { token: 'entity.name.type', foreground: '4EC9B0' },
    { token: 'support.type', foreground: '4EC9B0' },
    { token: 'variable.other.property', foreground: '9CDCFE' },
    { token: 'keyword', foreground: 'C586C0' },
    { token: 'property', foreground: '9CDCFE' },
    { token: 'class', foreground: '4EC9B0' },
    { token: 'variable', foreground: '4FC1FF' },
    { token: 'number', foreground: 'B5CEA8' },
    { token: 'type', foreground: '569CD6' },
    { token: 'enumMember', foreground: 'DCDCAA' },
    { token: 'operator', foreground: 'D4D4D4' },
  ],
  light: [
    { token: 'comment', foreground: '008000' },
    { token: 'string', foreground: 'A31515' },
    { token: 'constant.character.escape', foreground: 'EE0000' },
    { token: 'constant.numeric', foreground: '098658' },
    { token: 'constant.language', foreground: '0000FF' },
    { token: 'keyword.other.block', foreground: 'AF00DB' },
    { token: 'keyword.other.unit', foreground: '0000FF' },
    { token: 'keyword.operator', foreground: '000000' },
    { token: 'entity.name.type', foreground: '267F99' },
    { token: 'support.type', foreground: '267F99' },
    { token: 'variable.other.property', foreground: '001080' },
    { token: 'keyword', foreground: 'AF00DB' },
    { token: 'property', foreground: '001080' },
    { token: 'class', foreground: '267F99' },
    { token: 'variable', foreground: '0070C1' },
    { token: 'number', foreground: '098658' },
    { token: 'type', foreground: '0000FF' },
    { token: 'enumMember', foreground: '795E26' },
    { token: 'operator', foreground: '000000' },
  ],
};
