/*
 * sarena: a region allocator. Memory comes in chunks from malloc; a
 * request larger than a quarter of the chunk size gets a chunk of its own,
 * so waste stays bounded. Chunks are linked and freed together.
 */
#include "scenarios/sarena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
	SARENA_CHUNK = 64 * 1024,
	SARENA_ALIGN = alignof(max_align_t),
};

struct sarena_chunk {
	struct sarena_chunk *next;
	size_t size; /* usable bytes in data */
	size_t used; /* bytes handed out */
	alignas(max_align_t) unsigned char data[];
};

struct sarena {
	struct sarena_chunk *head; /* the chunk being filled; big chunks go behind it */
	size_t bytes;              /* sum of chunk sizes */
};

struct sarena *sarena_new(void)
{
	return calloc(1, sizeof(struct sarena));
}

void sarena_free(struct sarena *a)
{
	if (!a)
		return;
	struct sarena_chunk *c = a->head;
	while (c) {
		struct sarena_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

static struct sarena_chunk *sarena_chunk_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct sarena_chunk))
		return NULL;
	struct sarena_chunk *c = malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *sarena_alloc(struct sarena *a, size_t n)
{
	if (n > SIZE_MAX - SARENA_ALIGN)
		return NULL;
	size_t need = (n + SARENA_ALIGN - 1) / SARENA_ALIGN * SARENA_ALIGN;
	if (need == 0)
		need = SARENA_ALIGN;
	struct sarena_chunk *c = a->head;
	if (c && c->size - c->used >= need) {
		void *p = c->data + c->used;
		c->used += need;
		memset(p, 0, n);
		return p;
	}
	if (need > SARENA_CHUNK / 4) {
		/* A chunk of its own, linked behind the one being filled. */
		struct sarena_chunk *big = sarena_chunk_new(need);
		if (!big)
			return NULL;
		big->used = need;
		if (c) {
			big->next = c->next;
			c->next = big;
		} else {
			a->head = big;
		}
		a->bytes += need;
		memset(big->data, 0, n);
		return big->data;
	}
	struct sarena_chunk *fresh = sarena_chunk_new(SARENA_CHUNK);
	if (!fresh)
		return NULL;
	fresh->next = c;
	a->head = fresh;
	a->bytes += SARENA_CHUNK;
	fresh->used = need;
	memset(fresh->data, 0, n);
	return fresh->data;
}

void *sarena_array(struct sarena *a, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	return sarena_alloc(a, nmemb * size);
}

char *sarena_strndup(struct sarena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = sarena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *sarena_strdup(struct sarena *a, const char *s)
{
	if (!s)
		return NULL;
	return sarena_strndup(a, s, strlen(s));
}

size_t sarena_bytes(const struct sarena *a)
{
	return a->bytes;
}
