/*
 * sarena: a region allocator for the scenario loader. Everything a YAML
 * tree or a struct scenario holds lives in one arena and is released by
 * one sarena_free(), so conversion code never tracks single frees.
 *
 * Invariant: every pointer returned is aligned for any object type
 * (max_align_t) and stays valid until sarena_free().
 */
#ifndef LPSIM_SARENA_H
#define LPSIM_SARENA_H

#include <stddef.h>

struct sarena;

/* A new empty arena, or NULL when memory runs out. Free with sarena_free(). */
struct sarena *sarena_new(void);

/* Releases the arena and everything allocated from it; NULL is a no-op. */
void sarena_free(struct sarena *a);

/*
 * n bytes of zeroed memory owned by the arena, or NULL when memory runs
 * out (or n is absurd). sarena_alloc(a, 0) returns a valid unique pointer.
 */
void *sarena_alloc(struct sarena *a, size_t n);

/* nmemb * size zeroed bytes, or NULL on overflow or out of memory. */
void *sarena_array(struct sarena *a, size_t nmemb, size_t size);

/* A NUL-terminated copy of s[0..len) (s may hold NULs), or NULL. */
char *sarena_strndup(struct sarena *a, const char *s, size_t len);

/* A copy of the NUL-terminated s (NULL gives NULL). */
char *sarena_strdup(struct sarena *a, const char *s);

/* Total bytes the arena has obtained from malloc (for limits and tests). */
size_t sarena_bytes(const struct sarena *a);

#endif
