/* vmotion: the pre-copy model (see vmotion.h). */
#include "models/vmotion.h"

double vmotion_rate(const struct vmotion_params *p)
{
	return p->gbps * 125.0 * p->efficiency / (p->concurrent > 0 ? p->concurrent : 1);
}

struct vmotion_result vmotion_precopy(const struct vmotion_params *p)
{
	double r = vmotion_rate(p);
	double rest = p->memory_gb * 1024.0;
	double t = rest / r; /* round 0 sends everything */
	double total = t;
	int rounds = 1;
	rest = p->dirty_mb_per_s * t;
	/* A round that cannot shrink the rest (dirtying at least as fast as the
	 * link sends) ends pre-copy too: more rounds would only grow it. */
	while (rest / r > p->switchover_target && rounds < p->max_rounds &&
	       p->dirty_mb_per_s < r) {
		t = rest / r;
		total += t;
		rest = p->dirty_mb_per_s * t;
		rounds++;
	}
	double stun = rest / r + p->switchover_overhead;
	return (struct vmotion_result){total + stun, stun, rounds};
}
