/**
 * Facts of the accelerator kernel's interface that the cost model's parts share (memory plan, cycle model, DSP
 * count, checker), kept apart so none of them has to import another for a constant.
 */

/** The kernel's m_axi masters are 256 bits wide (Edge-MoE include/hardware.hpp line 9: AXI_XFER_BIT_WIDTH = 256). */
export const KERNEL_AXI_BITS = 256;
