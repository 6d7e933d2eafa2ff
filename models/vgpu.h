/*
 * vgpu: what a vGPU (NVIDIA GRID) VM adds to a vMotion, a pure function.
 *
 * vMotion cannot pre-copy a vGPU's frame buffer: the VM is stunned while
 * the frame buffer in use crosses (VMware, "Using vMotion to Migrate vGPU
 * Virtual Machines", vSphere 7.0 vCenter Server and Host Management; see
 * models/SEMANTICS.md). VMware publishes the expected stun times over a
 * 10 Gb network: 1 GB 2 s, 2 GB 4 s, 4 GB 6 s, 8 GB 12 s, 16 GB 22 s,
 * 32 GB 39 s. lpsim takes that table as the vGPU's stun on a 10 Gbit/s
 * link, interpolated linearly between its points (and from 0 GB, 0 s
 * below 1 GB; beyond 32 GB along its last segment), and scales it by
 * 10 / the link speed, the slower of source and destination (vSphere
 * estimates a vGPU VM's stun from the vMotion bandwidth, and from the
 * slower host when they differ). The scaling by link speed is lpsim's
 * assumption: the table is for 10 GbE only.
 *
 * The term adds to the vMotion's memory stun (models/vmotion.h) and to its
 * duration; it is computed by the caller that computes a vMotion's stun
 * (sim/hwsim.c, vmotion()).
 */
#ifndef LPSIM_VGPU_H
#define LPSIM_VGPU_H

/* The link speed (Gbit/s) the published table was measured on. */
#define VGPU_TABLE_GBPS 10.0

/*
 * The stun (s) a vMotion adds for vgpu_gb GB of frame buffer in use, over
 * a link of the slower of src_gbps and dst_gbps (both > 0). 0 for
 * vgpu_gb <= 0 (no vGPU).
 */
double vgpu_vmotion_stun_s(double vgpu_gb, double src_gbps, double dst_gbps);

#endif
