/* vgpu: the vGPU stun of a vMotion (see vgpu.h). */
#include "models/vgpu.h"

#include <stddef.h>

/* VMware's expected stun times of vGPU VMs over 10 GbE: frame buffer GB -> s. */
static const double table[][2] = {
    {0, 0}, {1, 2}, {2, 4}, {4, 6}, {8, 12}, {16, 22}, {32, 39},
};
#define NPOINTS (sizeof(table) / sizeof(table[0]))

/* The table at gb, linear between points, along the last segment past the end. */
static double at_10gbe(double gb)
{
	size_t i = 1;
	while (i < NPOINTS - 1 && gb > table[i][0])
		i++;
	const double *a = table[i - 1], *b = table[i];
	return a[1] + (gb - a[0]) * (b[1] - a[1]) / (b[0] - a[0]);
}

double vgpu_vmotion_stun_s(double vgpu_gb, double src_gbps, double dst_gbps)
{
	if (!(vgpu_gb > 0))
		return 0;
	double gbps = src_gbps < dst_gbps ? src_gbps : dst_gbps;
	return at_10gbe(vgpu_gb) * VGPU_TABLE_GBPS / gbps;
}
