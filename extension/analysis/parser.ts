/**
 * The one place the extension host takes the language core from: `analyzeDocument` (text → DocumentAnalysis with
 * the checked Design), the same function the language server and the CLI call.
 */
export { analyzeDocument as parseDesign } from '../../language/src/analyze';
