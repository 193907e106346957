/**
 * Validation of request parameters as any client may send them. The JSON-RPC layer hands the server whatever arrived;
 * without these checks a missing `position` or `newName` surfaced as a raw TypeError from deep inside a feature. Each
 * check returns the sentence for an InvalidParams ResponseError, or undefined when the params are usable.
 */

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isIndex = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

export interface ParamNeeds {
  position?: boolean;
  newName?: boolean;
  /** `context.includeDeclaration` of textDocument/references. */
  referenceContext?: boolean;
  /**
   * `range` of textDocument/codeAction. Its `context.diagnostics` is not required: the fixes are built from the
   * server's own diagnostics, and a Lua client encodes an empty list as `{}`.
   */
  codeActionContext?: boolean;
}

function checkPosition(p: unknown, what: string): string | undefined {
  if (!isObject(p)) return `'${what}' is missing: expected { line, character }.`;
  if (!isIndex(p.line) || !isIndex(p.character)) return `'${what}' must have whole, non-negative 'line' and 'character'.`;
  return undefined;
}

/** Why `params` are unusable for a request on one document, or undefined. */
export function invalidParams(params: unknown, needs: ParamNeeds = {}): string | undefined {
  if (!isObject(params)) return 'The request has no parameters.';
  const doc = params.textDocument;
  if (!isObject(doc) || typeof doc.uri !== 'string' || doc.uri === '') return "'textDocument.uri' is missing.";
  if (needs.position) {
    const bad = checkPosition(params.position, 'position');
    if (bad) return bad;
  }
  if (needs.newName && typeof params.newName !== 'string') return "'newName' is missing: rename needs the new name as a string.";
  if (needs.referenceContext && (!isObject(params.context) || typeof params.context.includeDeclaration !== 'boolean')) {
    return "'context.includeDeclaration' is missing: expected true or false.";
  }
  if (needs.codeActionContext) {
    const range = params.range;
    if (!isObject(range)) return "'range' is missing: expected { start, end }.";
    const bad = checkPosition(range.start, 'range.start') ?? checkPosition(range.end, 'range.end');
    if (bad) return bad;
  }
  return undefined;
}
