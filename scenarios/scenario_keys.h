/*
 * scenario_keys: the tables that describe the format's keys (one struct
 * sctx per mapping kind, defined in scenario.c), and the hints built on
 * them (scenario_hints.c) that make an error teach: the example of a
 * mapping expected where a scalar was given, the right path of a key
 * written at the wrong level, the key a common synonym means.
 * Internal to scenarios/.
 */
#ifndef LPSIM_SCENARIO_KEYS_H
#define LPSIM_SCENARIO_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum skind {
	SK_LEAF,        /* a scalar */
	SK_DIST,        /* a duration or a distribution mapping */
	SK_MAP,         /* a mapping with keys child */
	SK_SEQ_OF_MAP,  /* a sequence of mappings with keys child */
	SK_SEQ_OF_LEAF, /* a sequence of scalars */
};

struct sctx;

struct skey {
	const char *name;
	enum skind kind;
	const struct sctx *child;
};

struct sctx {
	const char *what; /* "vm", "host", ...: "unknown key 'x' in WHAT" */
	const struct skey *keys;
	size_t nkeys;
};

/*
 * An example of the mapping key takes, written as YAML flow
 * ("parallel: {enabled: true, max_hosts: 4}"), or NULL when none is kept.
 */
const char *scenario_hint_example(const char *key);

/*
 * Where key (klen bytes), unknown in here, belongs: a path under here
 * ("remediation.parallel.max_hosts", here->what first) when one of here's
 * descendants has it, else its full path from top when exactly one place
 * in the format has it. Writes it into buf (len bytes) and returns true;
 * false when neither.
 */
bool scenario_hint_path(const struct sctx *top, const struct sctx *here, const char *key,
                        size_t klen, char *buf, size_t len);

/*
 * The key of names[0..n) that a common synonym means ("memory" and "ram"
 * for memory_gb, "cpus", "cpu" and "vcpu" for vcpus), or NULL.
 */
const char *scenario_hint_synonym(const char *key, size_t klen, const char *const *names,
                                  size_t n);

#endif
