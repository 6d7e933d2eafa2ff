/*
 * import_map: string -> long, open addressing (FNV-1a hash, linear
 * probing). The table doubles when half full, so probes stay short.
 */
#include "scenarios/import_map.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/sarena.h"

struct imap_slot {
	const char *key; /* NULL: empty */
	uint32_t hash;
	long value;
};

struct imap {
	struct imap_slot *slots;
	size_t mask; /* capacity - 1 (a power of two) */
	size_t n;
	struct sarena *keys; /* owns the keys */
};

static uint32_t imap_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

struct imap *imap_new(void)
{
	struct imap *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->keys = sarena_new();
	m->slots = calloc(16, sizeof(*m->slots));
	if (!m->keys || !m->slots) {
		imap_free(m);
		return NULL;
	}
	m->mask = 15;
	return m;
}

void imap_free(struct imap *m)
{
	if (!m)
		return;
	free(m->slots);
	sarena_free(m->keys);
	free(m);
}

static struct imap_slot *imap_find(const struct imap *m, const char *key, uint32_t h)
{
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		struct imap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && !strcmp(s->key, key)))
			return s;
	}
}

long imap_get(const struct imap *m, const char *key)
{
	const struct imap_slot *s = imap_find(m, key, imap_hash(key));
	return s->key ? s->value : -1;
}

static int imap_grow(struct imap *m)
{
	size_t cap = (m->mask + 1) * 2;
	struct imap_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i <= m->mask; i++) {
		struct imap_slot *s = &m->slots[i];
		if (!s->key)
			continue;
		size_t j = s->hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->mask = cap - 1;
	return 0;
}

int imap_put(struct imap *m, const char *key, long value)
{
	uint32_t h = imap_hash(key);
	struct imap_slot *s = imap_find(m, key, h);
	if (s->key) {
		s->value = value;
		return 0;
	}
	if ((m->n + 1) * 2 > m->mask + 1) {
		if (imap_grow(m) < 0)
			return -ENOMEM;
		s = imap_find(m, key, h);
	}
	const char *copy = sarena_strdup(m->keys, key);
	if (!copy)
		return -ENOMEM;
	s->key = copy;
	s->hash = h;
	s->value = value;
	m->n++;
	return 0;
}

size_t imap_size(const struct imap *m)
{
	return m->n;
}
