/*
 * import_map: a hash map from strings to non-negative longs, for the
 * import's look-ups by key (a host by vCenter and name, a VM by its
 * RVTools "VM ID", a name already taken in its cluster). Keys are copied
 * into the map's arena; one key holds one value (callers chain several
 * entities behind one key themselves). Open addressing with linear
 * probing, grown at half full. No global state.
 */
#ifndef LPSIM_IMPORT_MAP_H
#define LPSIM_IMPORT_MAP_H

#include <stddef.h>

struct imap; /* opaque */

/* An empty map, or NULL when memory runs out. Free with imap_free(). */
struct imap *imap_new(void);

/* Frees m and its keys; NULL is a no-op. */
void imap_free(struct imap *m);

/* The value of key, or -1 when the map does not hold it. */
long imap_get(const struct imap *m, const char *key);

/* Sets key (copied) to value (>= 0), replacing an older value. Returns 0 or -ENOMEM. */
int imap_put(struct imap *m, const char *key, long value);

/* The number of keys held. */
size_t imap_size(const struct imap *m);

#endif
