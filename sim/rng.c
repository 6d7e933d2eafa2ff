/*
 * rng: splitmix64 as a gsl_rng_type, and the keys that name streams.
 *
 * The generator is splitmix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), as in the reference at
 * https://prng.di.unimi.it/splitmix64.c bit for bit; the tests hold a few
 * reference values. Its state is one word, a counter stepped by the golden
 * gamma; each output is the counter through a bijective finalizer
 * (rng_mix64). So a stream starts from its key at no cost: models draw from
 * a fresh stream per (entity, purpose), a handful of values each; the
 * larger-state generator used before (xoshiro256**) took four finalizers to
 * start each stream, a fifth of a replication's arithmetic. Keys are
 * themselves finalizer outputs, so streams start at unrelated points of the
 * one 2^64 cycle.
 *
 * Keys and ids are built from rng_mix64 (the splitmix64 finalizer with its
 * increment), a bijection on 64-bit words: "mix" of the xor of mixed
 * arguments is then injective in each argument separately.
 */
#include "sim/rng.h"

#include <stddef.h>

static void splitmix_set(void *state, unsigned long int seed)
{
	rng_seed_state(state, (uint64_t)seed);
}

static unsigned long int splitmix_get(void *state)
{
	return (unsigned long int)(rng_next(state) >> 32);
}

/* The upper 53 bits times 2^-53: exactly representable, at most 1 - 2^-53. */
static double splitmix_get_double(void *state)
{
	return (double)(rng_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type splitmix_type = {
    .name = "splitmix64",
    .max = 0xffffffffUL,
    .min = 0,
    .size = sizeof(uint64_t),
    .set = splitmix_set,
    .get = splitmix_get,
    .get_double = splitmix_get_double,
};

const gsl_rng_type *rng_type(void)
{
	return &splitmix_type;
}

uint64_t rng_key_rep(uint64_t seed, uint64_t replication)
{
	return rng_mix64(rng_mix64(seed) ^ replication);
}

uint64_t rng_key(uint64_t seed, uint64_t replication, uint64_t entity, uint64_t purpose)
{
	return rng_key_in(rng_key_rep(seed, replication), entity, purpose);
}

#define FNV64_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV64_PRIME  UINT64_C(0x100000001b3)

uint64_t rng_entity_id(const char *name)
{
	uint64_t h = FNV64_OFFSET;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= FNV64_PRIME;
	}
	return rng_mix64(h);
}

gsl_rng *rng_new(uint64_t key)
{
	gsl_rng *r = gsl_rng_alloc(&splitmix_type);

	if (!r)
		return NULL;
	rng_reseed(r, key);
	return r;
}

void rng_free(gsl_rng *r)
{
	if (r)
		gsl_rng_free(r);
}

