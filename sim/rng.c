/*
 * rng: xoshiro256** as a gsl_rng_type, and the keys that name streams.
 *
 * The state is four uint64_t words (struct xoshiro), filled by four
 * successive splitmix64 outputs from the key (rng_seed_state, in rng.h, as
 * models reseed before every draw). splitmix64's output
 * function is a bijection applied to four distinct counters, so at most
 * one word can be zero and the state is never all zero (the one state
 * xoshiro must avoid). Outputs follow the reference implementation at
 * https://prng.di.unimi.it/xoshiro256starstar.c bit for bit; the tests
 * hold a few reference values.
 *
 * Keys and ids are built from rng_mix64 (the splitmix64 finalizer with its
 * increment), a bijection on 64-bit words: a chain of "mix in the next
 * argument, then mix" is then injective in each argument separately.
 */
#include "sim/rng.h"

#include <stddef.h>

struct xoshiro {
	uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t xoshiro_next(struct xoshiro *x)
{
	uint64_t *s = x->s;
	const uint64_t result = rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

static void xoshiro_set(void *state, unsigned long int seed)
{
	rng_seed_state(((struct xoshiro *)state)->s, (uint64_t)seed);
}

static unsigned long int xoshiro_get(void *state)
{
	return (unsigned long int)(xoshiro_next(state) >> 32);
}

/* The upper 53 bits times 2^-53: exactly representable, at most 1 - 2^-53. */
static double xoshiro_get_double(void *state)
{
	return (double)(xoshiro_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    .name = "xoshiro256**",
    .max = 0xffffffffUL,
    .min = 0,
    .size = sizeof(struct xoshiro),
    .set = xoshiro_set,
    .get = xoshiro_get,
    .get_double = xoshiro_get_double,
};

const gsl_rng_type *rng_type(void)
{
	return &xoshiro_type;
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
	gsl_rng *r = gsl_rng_alloc(&xoshiro_type);

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

