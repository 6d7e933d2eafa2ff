/*
 * ynode: a YAML document as a small owned tree of mappings, sequences and
 * scalars, each with its 1-based line and column. The scenario loader
 * parses a file into a tree (ytree_load_*), and converts the tree into a
 * struct scenario in a separate step (scenario.h), so that a sweep can set
 * any scalar by path (ytree_set) between the two.
 *
 * The tree is built from libyaml's events under hard limits (scenario.h:
 * file size, nesting depth, total nodes, nodes copied through aliases), so
 * hostile input costs bounded time and memory. Aliases are expanded by
 * copying (positions included), merge keys ("<<: *base") are resolved,
 * and every node appears once in the tree: changing one never changes
 * another.
 *
 * Ownership: a tree owns all its nodes and strings (one arena); they live
 * until ytree_free(). Trees are not shared between threads while changed.
 */
#ifndef LPSIM_YNODE_H
#define LPSIM_YNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/diag.h"

struct sarena;

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_SEQUENCE,
	YNODE_MAPPING,
};

struct ynode {
	enum ynode_kind kind;
	bool quoted;     /* scalar: quoted, block (| >) or !!str: always a string */
	bool poisoned;   /* an error about this node was reported: checks stay silent */
	uint16_t height; /* levels below this node (0 for a scalar or empty collection) */
	uint32_t line;   /* 1-based position of the node's first character */
	uint32_t col;
	uint32_t nnodes;      /* nodes in this subtree, itself included */
	size_t len;           /* scalar: bytes of str; sequence: items; mapping: pairs */
	const char *str;      /* scalar: the text, NUL-terminated (may hold NULs before len) */
	struct ynode **items; /* sequence: len items; mapping: 2*len nodes, key then value */
};

struct ytree {
	struct sarena *arena; /* owns the nodes, their strings and file */
	struct ynode *root;   /* never NULL in a loaded tree */
	const char *file;     /* display name given at load time */
	bool broken; /* node-level errors were reported while reading: never a valid scenario */
};

/*
 * Reads path and builds its tree. Returns 0 and sets *out; -EINVAL when
 * the file is not an acceptable YAML scenario document (the errors are in
 * d, *out is NULL unless they are only about single nodes: then *out is a
 * usable tree whose bad nodes are poisoned); -ENOMEM; or another negative
 * errno when the file cannot be opened or read (nothing added to d).
 */
int ytree_load_file(const char *path, struct diag *d, struct ytree **out);

/*
 * The same from memory: buf[0..len) need not be NUL-terminated; file is
 * the name used in messages (copied).
 */
int ytree_load_buffer(const char *buf, size_t len, const char *file, struct diag *d,
                      struct ytree **out);

/* Frees the tree; NULL is a no-op. */
void ytree_free(struct ytree *t);

/* A deep copy of t (positions kept), or NULL when memory runs out. */
struct ytree *ytree_clone(const struct ytree *t);

/*
 * A deep copy of t without the root mapping's pairs whose key is key (a
 * sweep point does not need the sweep's own values: copying them would
 * make every point cost the whole sweep). NULL when memory runs out.
 */
struct ytree *ytree_clone_without(const struct ytree *t, const char *key);

/*
 * Sets the scalar at path to value (a plain scalar unless quoted), making
 * the mappings on the way when they are missing, and giving new nodes the
 * position pos. Path syntax: keys joined by '.', each optionally followed
 * by [N] (0-based index into a sequence) or [NAME] (the sequence item whose
 * 'name' is NAME as written, pattern included), e.g.
 * "vcenter.remediation.parallel.max_hosts", "clusters[0].vms[web-%03d].count".
 * Returns 0, or -EINVAL after adding an error at pos to d ("bad path",
 * "no clusters[3]"), or -ENOMEM.
 */
int ytree_set(struct ytree *t, const char *path, const char *value, bool quoted,
              struct diag_pos pos, struct diag *d);

/* The value of key in mapping m, or NULL (also NULL when m is not a mapping). */
const struct ynode *ynode_get(const struct ynode *m, const char *key);

/* True for a plain scalar that YAML reads as null: "", "~", null, Null, NULL. */
bool ynode_is_null(const struct ynode *n);

/* The position of n. */
struct diag_pos ynode_pos(const struct ynode *n);

/* "a scalar", "a sequence", "a mapping": for messages. */
const char *ynode_kind_name(enum ynode_kind k);

#endif
