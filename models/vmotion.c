/* vmotion: the pre-copy model (see vmotion.h). */
#include "models/vmotion.h"


double vmotion_link_rate(double gbps, double efficiency)
{
	return gbps * 125.0 * efficiency;
}

static double memory_mb(const struct vmotion_params *p)
{
	return p->memory_gb * 1024.0;
}

/* Whether SDPS slows the guest at rate R: it dirties faster than the fraction allows. */
static int sdps_on(const struct vmotion_params *p, double rate)
{
	return p->sdps_fraction > 0 && p->dirty_mb_per_s > p->sdps_fraction * rate;
}

/* The rate the guest dirties memory at while the vMotion sends at R. */
static double dirty_rate(const struct vmotion_params *p, double rate)
{
	return sdps_on(p, rate) ? p->sdps_fraction * rate : p->dirty_mb_per_s;
}

void vmotion_begin(const struct vmotion_params *p, struct vmotion_state *st)
{
	*st = (struct vmotion_state){
	    .left = memory_mb(p), .dirty = 0, .stun_s = 0, .sdps_s = 0, .rounds = 1,
	    .phase = VMOTION_PRECOPY};
}

/* A pre-copy round has sent its last page at rate R: another round, or the switchover. */
static void round_end(const struct vmotion_params *p, struct vmotion_state *st, double rate)
{
	double rest = st->dirty;
	st->dirty = 0;
	st->left = rest;
	if (rest / rate <= p->switchover_target || st->rounds >= p->max_rounds ||
	    dirty_rate(p, rate) >= rate) {
		st->phase = VMOTION_SWITCHOVER;
		return;
	}
	st->rounds++;
}

double vmotion_advance(const struct vmotion_params *p, struct vmotion_state *st, double rate,
		       double dt)
{
	const double m = memory_mb(p);
	const double d = dirty_rate(p, rate);
	const int slowed = sdps_on(p, rate);
	double used = 0;
	while (st->phase != VMOTION_DONE) {
		double need = st->phase == VMOTION_OVERHEAD ? st->left : st->left / rate;
		double t = dt - used < need ? dt - used : need;
		used += t;
		if (st->phase == VMOTION_PRECOPY) {
			double dirty = st->dirty + d * t;
			st->dirty = dirty < m ? dirty : m;
			st->sdps_s += slowed ? t : 0;
		} else {
			st->stun_s += t;
		}
		if (t < need) { /* dt ends within this step */
			st->left -= st->phase == VMOTION_OVERHEAD ? t : t * rate;
			break;
		}
		switch (st->phase) {
		case VMOTION_PRECOPY:
			round_end(p, st, rate);
			break;
		case VMOTION_SWITCHOVER:
			st->phase = VMOTION_OVERHEAD;
			st->left = p->switchover_overhead;
			break;
		default:
			st->phase = VMOTION_DONE;
			st->left = 0;
			break;
		}
	}
	return used;
}

/*
 * vmotion_advance to the end, as one tight loop (it runs at every re-plan
 * of every vMotion): the same steps and sums in the same order, so the
 * same numbers.
 */
struct vmotion_result vmotion_finish(const struct vmotion_params *p,
				     const struct vmotion_state *st, double rate)
{
	const double m = memory_mb(p), d = dirty_rate(p, rate);
	const int slowed = sdps_on(p, rate);
	double t = 0, stun = st->stun_s, sdps = st->sdps_s, left = st->left, dirty = st->dirty;
	int rounds = st->rounds;
	switch (st->phase) {
	case VMOTION_PRECOPY:
		for (double tau = left / rate;;) {
			t += tau;
			dirty += d * tau;
			dirty = dirty < m ? dirty : m;
			sdps += slowed ? tau : 0;
			double next = dirty / rate; /* the rest's time: the next round's */
			left = dirty;
			dirty = 0;
			if (next <= p->switchover_target || rounds >= p->max_rounds || d >= rate)
				break;
			rounds++;
			tau = next;
		}
		/* the switchover sends the rest */
		/* fall through */
	case VMOTION_SWITCHOVER: {
		double tau = left / rate;
		t += tau;
		stun += tau;
		left = p->switchover_overhead;
	}
		/* fall through */
	case VMOTION_OVERHEAD:
		t += left;
		stun += left;
		break;
	default:
		break;
	}
	return (struct vmotion_result){t, stun, sdps, rounds};
}

struct vmotion_result vmotion_precopy(const struct vmotion_params *p, double rate)
{
	struct vmotion_state st;
	vmotion_begin(p, &st);
	return vmotion_finish(p, &st, rate);
}
