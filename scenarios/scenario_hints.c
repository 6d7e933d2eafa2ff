/*
 * scenario_hints: what makes a scenario error teach (scenario_keys.h).
 */
#include "scenarios/scenario_keys.h"

#include <stdio.h>
#include <string.h>

/* Mappings people write as a scalar, with an example each (FORMAT.md's keys). */
static const struct {
	const char *key;
	const char *example;
} examples[] = {
    {"parallel", "parallel: {enabled: true, max_hosts: 4}"},
    {"failure_action", "failure_action: {retry_count: 3, retry_delay: 5m}"},
    {"manual_remediation", "manual_remediation: {policy: auto, start: after_cluster}"},
    {"remediation", "remediation: {parallel: {enabled: true, max_hosts: 4}}"},
    {"drs", "drs: {enabled: true, automation: fully_automated}"},
    {"ha", "ha: {enabled: true, admission_control_pct: 25}"},
    {"vcenter", "vcenter: {version: 8.0.3, live_patch_mode: enforce}"},
    {"patch", "patch: {live_patchable: true}"},
    {"fsr", "fsr: {concurrency: 4}"},
    {"vmotion", "vmotion: {max_concurrent: 8}"},
    {"hardware", "hardware: {boot: 3m, install: 2m}"},
    {"memory_reservation_gb", "memory_reservation_gb: {temporary: 2, permanent: 0.5}"},
};

const char *scenario_hint_example(const char *key)
{
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		if (!strcmp(examples[i].key, key))
			return examples[i].example;
	return NULL;
}

/* Common words for a key, and the key they mean. */
static const struct {
	const char *word;
	const char *key;
} synonyms[] = {
    {"memory", "memory_gb"}, {"mem", "memory_gb"},   {"ram", "memory_gb"},
    {"ram_gb", "memory_gb"}, {"memory_mb", "memory_gb"}, {"cpus", "vcpus"},
    {"cpu", "vcpus"},        {"vcpu", "vcpus"},      {"num_cpus", "vcpus"},
    {"cpus", "cores"},       {"cpu", "cores"},       {"cores_per_host", "cores"},
    {"hosts_in_parallel", "max_hosts"},              {"parallelism", "max_hosts"},
    {"reservation", "reservation_gb"},
};

const char *scenario_hint_synonym(const char *key, size_t klen, const char *const *names,
                                  size_t n)
{
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++) {
		if (strlen(synonyms[i].word) != klen || strncmp(synonyms[i].word, key, klen))
			continue;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(names[k], synonyms[i].key))
				return names[k];
	}
	return NULL;
}

#define HINT_DEPTH 8

struct hint_walk {
	const char *key;
	size_t klen;
	const char *part[HINT_DEPTH]; /* the path being walked */
	bool seq[HINT_DEPTH];         /* part i is a sequence: "[]" */
	size_t found;                 /* places found */
	size_t best_depth;            /* the shallowest, written into best */
	char best[256];
};

static void hint_path_text(char *buf, size_t len, const char *prefix, const char *const *part,
                           const bool *seq, size_t depth)
{
	size_t at = (size_t)snprintf(buf, len, "%s", prefix ? prefix : "");
	for (size_t i = 0; i < depth && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s%s", at ? "." : "", part[i],
		                       seq[i] ? "[]" : "");
}

static void hint_walk(struct hint_walk *w, const struct sctx *ctx, size_t depth,
                      const char *prefix)
{
	if (!ctx || depth >= HINT_DEPTH)
		return;
	for (size_t k = 0; k < ctx->nkeys; k++) {
		const struct skey *sk = &ctx->keys[k];
		w->part[depth] = sk->name;
		w->seq[depth] = false;
		if (strlen(sk->name) == w->klen && !strncmp(sk->name, w->key, w->klen)) {
			w->found++;
			if (depth + 1 < w->best_depth) {
				w->best_depth = depth + 1;
				hint_path_text(w->best, sizeof(w->best), prefix, w->part, w->seq,
				               depth + 1);
			}
		}
		if (sk->child && (sk->kind == SK_MAP || sk->kind == SK_SEQ_OF_MAP)) {
			w->seq[depth] = sk->kind == SK_SEQ_OF_MAP;
			hint_walk(w, sk->child, depth + 1, prefix);
		}
	}
}

bool scenario_hint_path(const struct sctx *top, const struct sctx *here, const char *key,
                        size_t klen, char *buf, size_t len)
{
	struct hint_walk w = {.key = key, .klen = klen, .best_depth = HINT_DEPTH + 1};
	/* Below here: a level too high (max_hosts in remediation). */
	for (size_t k = 0; k < here->nkeys; k++) {
		const struct skey *sk = &here->keys[k];
		if (!sk->child || !(sk->kind == SK_MAP || sk->kind == SK_SEQ_OF_MAP))
			continue;
		w.part[0] = sk->name;
		w.seq[0] = sk->kind == SK_SEQ_OF_MAP;
		hint_walk(&w, sk->child, 1, here == top ? NULL : here->what);
	}
	if (w.found) {
		snprintf(buf, len, "%s", w.best);
		return true;
	}
	/* Anywhere else, when the format has it in one place only. */
	w.best_depth = HINT_DEPTH + 1;
	hint_walk(&w, top, 0, NULL);
	if (w.found != 1)
		return false;
	snprintf(buf, len, "%s", w.best);
	return true;
}
