/*
 * rng: lpsim's random streams, a small-state generator behind GSL's
 * gsl_rng interface.
 *
 * Every draw comes from a stream named by a 64-bit key mixed from (seed,
 * replication, entity, purpose). An entity's id is a hash of its full
 * name, not its position in the inventory, so adding an entity never
 * changes anyone else's draws, and the live-patch and classic strategies
 * see the same draws for the same entity (common random numbers).
 *
 * The generator is splitmix64 (Steele, Lea and Flood): one word of state,
 * so that starting a stream from its key costs nothing. gsl_rng_get()
 * returns the upper 32 bits of an output (max 0xffffffff, min 0);
 * gsl_rng_uniform() uses its upper 53 bits and lies in [0, 1), never 1.
 * Everything here is a pure function of its arguments: no global state,
 * so streams may be used on any number of threads (one gsl_rng per
 * thread: a gsl_rng itself is not thread-safe).
 */
#ifndef LPSIM_RNG_H
#define LPSIM_RNG_H

#include <assert.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/*
 * The generator as a GSL type (name "splitmix64"), for gsl_rng_alloc.
 * gsl_rng_set(r, seed) positions r at the start of stream `seed` (an
 * unsigned long, 64 bits on Linux; rng_reseed takes a full 64-bit key
 * everywhere). Static storage; never freed.
 */
const gsl_rng_type *rng_type(void);

/*
 * The key of the stream for (seed, replication, entity, purpose): the
 * replication's key (seed and replication through the bijective 64-bit
 * finalizer in turn), the entity's id and the finalized purpose, xored,
 * through the finalizer once more. Each argument reaches the key through
 * bijections, so changing any one argument (any bit of it) always changes
 * the key, and the keys of different tuples are unrelated finalizer
 * outputs.
 */
uint64_t rng_key(uint64_t seed, uint64_t replication, uint64_t entity, uint64_t purpose);

/*
 * rng_key in two steps, for a replication that draws many times:
 * rng_key(s, r, e, p) == rng_key_in(rng_key_rep(s, r), e, p).
 */
uint64_t rng_key_rep(uint64_t seed, uint64_t replication);
static inline uint64_t rng_key_in(uint64_t rep_key, uint64_t entity, uint64_t purpose);

/*
 * A stable 64-bit id for an entity from its full name ("cluster/esx-01"):
 * FNV-1a 64 over the bytes of `name` (borrowed, NUL-terminated, not NULL)
 * then a finalizer. Depends on nothing but the name; part of the results'
 * reproducibility, so it must never change.
 */
uint64_t rng_entity_id(const char *name);

/*
 * A new generator of rng_type() at the start of stream `key`, or NULL on
 * OOM. The caller owns it and frees it with rng_free (or gsl_rng_free).
 */
gsl_rng *rng_new(uint64_t key);

/* Frees a generator from rng_new; rng_free(NULL) is a no-op. */
void rng_free(gsl_rng *r);

/*
 * Repositions r, which must be of rng_type(), at the start of stream
 * `key`. No allocation and no arithmetic, so models may reseed before
 * every draw: rng_reseed(r, rng_key(...)) then sample.
 */
static inline void rng_reseed(gsl_rng *r, uint64_t key);

/* ---- inline, as they are on the path of every draw ---------------------- */

#define RNG_GOLDEN_GAMMA UINT64_C(0x9e3779b97f4a7c15)

/* splitmix64's output for counter x + RNG_GOLDEN_GAMMA: a bijection of x. */
static inline uint64_t rng_mix64(uint64_t x)
{
	uint64_t z = x + RNG_GOLDEN_GAMMA;

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* The purpose is finalized on its own: a constant for most draws, folded
 * by the compiler, so that one finalizer, not two, stands between a
 * replication's key and each stream's (7% of a replication's time). */
static inline uint64_t rng_key_in(uint64_t rep_key, uint64_t entity, uint64_t purpose)
{
	return rng_mix64(rep_key ^ entity ^ rng_mix64(purpose));
}

/* The generator's state, one word: the stream `key` starts at counter key. */
static inline void rng_seed_state(uint64_t *st, uint64_t key)
{
	*st = key;
}

/* The next output: the counter through the finalizer, then a step. */
static inline uint64_t rng_next(uint64_t *st)
{
	uint64_t z = rng_mix64(*st);
	*st += RNG_GOLDEN_GAMMA;
	return z;
}

static inline void rng_reseed(gsl_rng *r, uint64_t key)
{
	assert(r->type == rng_type());
	rng_seed_state(r->state, key);
}

#endif
