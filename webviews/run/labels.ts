/** Labels the Run panel and its exported report share (pure: runs in the webview and on the host). */

/** "CPU (onnxruntime, N threads)": what the measured latency is, so it is never read as the FPGA's. */
export function cpuLabel(threads: number | undefined): string {
  return threads === undefined ? 'CPU (onnxruntime)' : `CPU (onnxruntime, ${threads} thread${threads === 1 ? '' : 's'})`;
}

export const SEEDED_NOTICE = 'seeded weights — predictions are meaningless; routing is real for these weights';

/** The notice with where the weights came from, without repeating "seeded weights" ("… (seed 0)"). */
export function seededNotice(source: string): string {
  const detail = source.replace(/^seeded weights\s*/, '').replace(/^\((.*)\)$/, '$1').trim();
  return detail ? `${SEEDED_NOTICE} (${detail})` : SEEDED_NOTICE;
}
