/** Labels the Run panel and its exported report share (pure: runs in the webview and on the host). */

/** "CPU (onnxruntime, N threads)": what the measured latency is, so it is never read as the FPGA's. */
export function cpuLabel(threads: number | undefined): string {
  return threads === undefined ? 'CPU (onnxruntime)' : `CPU (onnxruntime, ${threads} thread${threads === 1 ? '' : 's'})`;
}

export const SEEDED_NOTICE = 'seeded weights — predictions are meaningless; routing is real for these weights';
