/** One analysed text as the language services see it: the analysis, its line index and, when clean, the engine report. */
import type { AnalysisReport } from '../../../engine/analyze';
import type { LineIndex } from '../lineIndex';
import type { DocumentAnalysis } from '../types';

export interface AnalyzedDocument {
  uri: string;
  version: number;
  analysis: DocumentAnalysis;
  index: LineIndex;
  /** The engine's full analysis when the design checks clean; undefined otherwise (or when the engine failed). */
  report?: AnalysisReport;
  /** Set when the engine threw on a clean design (a bug of ours): reported as one warning, features keep working. */
  engineError?: string;
}
