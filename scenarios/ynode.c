/*
 * ynode: builds a tree from libyaml's event stream. The builder keeps an
 * explicit stack of open collections (no recursion on input depth), counts
 * every node against SCENARIO_MAX_NODES and every node copied through an
 * alias against SCENARIO_MAX_ALIAS_NODES, and refuses nesting deeper than
 * SCENARIO_MAX_DEPTH (an alias counts as the depth of what it copies).
 *
 * Errors come in two kinds. Fatal ones (YAML syntax, encoding, limits)
 * end the load with no tree. Node-level ones (duplicate keys, non-scalar
 * keys, unknown anchors, bad merges, unknown tags) are reported, the node
 * is dropped or poisoned, and the tree is still returned so that the
 * conversion can report everything else in the file too.
 */
#include "scenarios/ynode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "scenarios/sarena.h"
#include "scenarios/scenario.h"

/* ---- a small string-keyed map (anchors, keys of one mapping) ------------- */

/*
 * An AVL tree in one array (index 0 is no node), ordered by (length,
 * bytes). Not a hash table: keys chosen to collide (any hash can be made
 * to) cost it nothing, every lookup and insertion is O(log n) comparisons
 * whatever the keys, and nothing depends on a random seed.
 */
struct ymap_slot {
	const char *key;
	size_t len;
	void *val;
	uint32_t left, right; /* children, 0 for none */
	int height;           /* of the subtree; 1 for a leaf */
};

struct ymap {
	struct ymap_slot *slots; /* slots[1..n] */
	size_t n;
	size_t cap;
	uint32_t root;
};

static void ymap_fini(struct ymap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static int ymap_cmp(const char *a, size_t alen, const struct ymap_slot *b)
{
	if (alen != b->len)
		return alen < b->len ? -1 : 1;
	return memcmp(a, b->key, alen);
}

static struct ymap_slot *ymap_find(const struct ymap *m, const char *key, size_t len)
{
	uint32_t i = m->root;
	while (i) {
		int c = ymap_cmp(key, len, &m->slots[i]);
		if (c == 0)
			return &m->slots[i];
		i = c < 0 ? m->slots[i].left : m->slots[i].right;
	}
	return NULL;
}

static int ymap_height(const struct ymap *m, uint32_t i)
{
	return i ? m->slots[i].height : 0;
}

static void ymap_fix(struct ymap *m, uint32_t i)
{
	int l = ymap_height(m, m->slots[i].left), r = ymap_height(m, m->slots[i].right);
	m->slots[i].height = (l > r ? l : r) + 1;
}

/* Rotates the subtree at i towards its right (left child up) or left. */
static uint32_t ymap_rotate(struct ymap *m, uint32_t i, bool right)
{
	struct ymap_slot *x = &m->slots[i];
	uint32_t c = right ? x->left : x->right;
	struct ymap_slot *y = &m->slots[c];
	if (right) {
		x->left = y->right;
		y->right = i;
	} else {
		x->right = y->left;
		y->left = i;
	}
	ymap_fix(m, i);
	ymap_fix(m, c);
	return c;
}

static uint32_t ymap_balance(struct ymap *m, uint32_t i)
{
	ymap_fix(m, i);
	int b = ymap_height(m, m->slots[i].left) - ymap_height(m, m->slots[i].right);
	if (b > 1) {
		uint32_t l = m->slots[i].left;
		if (ymap_height(m, m->slots[l].left) < ymap_height(m, m->slots[l].right))
			m->slots[i].left = ymap_rotate(m, l, false);
		return ymap_rotate(m, i, true);
	}
	if (b < -1) {
		uint32_t r = m->slots[i].right;
		if (ymap_height(m, m->slots[r].right) < ymap_height(m, m->slots[r].left))
			m->slots[i].right = ymap_rotate(m, r, true);
		return ymap_rotate(m, i, false);
	}
	return i;
}

/* Inserts slot n (not in the tree) below i; returns the subtree's new root. */
static uint32_t ymap_insert(struct ymap *m, uint32_t i, uint32_t n)
{
	if (!i)
		return n;
	if (ymap_cmp(m->slots[n].key, m->slots[n].len, &m->slots[i]) < 0)
		m->slots[i].left = ymap_insert(m, m->slots[i].left, n);
	else
		m->slots[i].right = ymap_insert(m, m->slots[i].right, n);
	return ymap_balance(m, i);
}

/* Sets key -> val (replacing). key is borrowed and must outlive the map. */
static int ymap_put(struct ymap *m, const char *key, size_t len, void *val)
{
	struct ymap_slot *found = ymap_find(m, key, len);
	if (found) {
		found->val = val;
		return 0;
	}
	if (m->n + 1 >= m->cap) {
		if (m->cap >= UINT32_MAX / 2)
			return -ENOMEM;
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct ymap_slot *slots = realloc(m->slots, cap * sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		m->slots = slots;
		m->cap = cap;
	}
	uint32_t n = (uint32_t)++m->n;
	m->slots[n] = (struct ymap_slot){key, len, val, 0, 0, 1};
	m->root = ymap_insert(m, m->root, n);
	return 0;
}

/* ---- small helpers -------------------------------------------------------- */

struct diag_pos ynode_pos(const struct ynode *n)
{
	struct diag_pos p = {n->line, n->col};
	return p;
}

const char *ynode_kind_name(enum ynode_kind k)
{
	switch (k) {
	case YNODE_SCALAR:
		return "a scalar";
	case YNODE_SEQUENCE:
		return "a sequence";
	case YNODE_MAPPING:
		return "a mapping";
	}
	return "a node";
}

bool ynode_is_null(const struct ynode *n)
{
	if (!n || n->kind != YNODE_SCALAR || n->quoted)
		return false;
	const char *s = n->str;
	return n->len == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

const struct ynode *ynode_get(const struct ynode *m, const char *key)
{
	if (!m || m->kind != YNODE_MAPPING)
		return NULL;
	size_t klen = strlen(key);
	for (size_t i = 0; i < m->len; i++) {
		const struct ynode *k = m->items[2 * i];
		if (k->kind == YNODE_SCALAR && k->len == klen && !memcmp(k->str, key, klen))
			return m->items[2 * i + 1];
	}
	return NULL;
}

static struct ynode *ynode_new(struct sarena *a, enum ynode_kind kind, uint32_t line, uint32_t col)
{
	struct ynode *n = sarena_alloc(a, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = line;
	n->col = col;
	n->nnodes = 1;
	n->str = "";
	return n;
}

static struct ynode *ynode_scalar(struct sarena *a, const char *s, size_t len, bool quoted,
                                  uint32_t line, uint32_t col)
{
	struct ynode *n = ynode_new(a, YNODE_SCALAR, line, col);
	if (!n)
		return NULL;
	char *str = sarena_strndup(a, s, len);
	if (!str)
		return NULL;
	n->str = str;
	n->len = len;
	n->quoted = quoted;
	return n;
}

/* Deep copy of n into a (positions kept). Recursion is bounded by n->height. */
static struct ynode *ynode_copy(struct sarena *a, const struct ynode *n)
{
	struct ynode *c = sarena_alloc(a, sizeof(*c));
	if (!c)
		return NULL;
	*c = *n;
	if (n->kind == YNODE_SCALAR)
		return c; /* strings are immutable: shared within one arena */
	size_t nitems = n->kind == YNODE_MAPPING ? 2 * n->len : n->len;
	c->items = sarena_array(a, nitems, sizeof(*c->items));
	if (!c->items && nitems)
		return NULL;
	for (size_t i = 0; i < nitems; i++) {
		c->items[i] = ynode_copy(a, n->items[i]);
		if (!c->items[i])
			return NULL;
	}
	return c;
}

/* Deep copy into another arena: strings are copied too. */
static struct ynode *ynode_clone_into(struct sarena *a, const struct ynode *n)
{
	struct ynode *c = sarena_alloc(a, sizeof(*c));
	if (!c)
		return NULL;
	*c = *n;
	if (n->kind == YNODE_SCALAR) {
		char *s = sarena_strndup(a, n->str, n->len);
		if (!s)
			return NULL;
		c->str = s;
		return c;
	}
	size_t nitems = n->kind == YNODE_MAPPING ? 2 * n->len : n->len;
	c->items = sarena_array(a, nitems, sizeof(*c->items));
	if (!c->items && nitems)
		return NULL;
	for (size_t i = 0; i < nitems; i++) {
		c->items[i] = ynode_clone_into(a, n->items[i]);
		if (!c->items[i])
			return NULL;
	}
	return c;
}

/* ---- the builder ---------------------------------------------------------- */

struct yframe {
	struct ynode *node;   /* the open collection */
	struct ynode **items; /* children so far (malloc'd) */
	size_t n;
	size_t cap;
	char *anchor; /* malloc'd anchor name, or NULL */
};

struct ybuild {
	struct ytree *t;
	struct diag *d;
	const char *buf; /* the raw input, for positions of encoding errors */
	size_t buflen;
	struct yframe stack[SCENARIO_MAX_DEPTH];
	size_t depth;        /* open collections */
	long nodes;          /* nodes made, copies included */
	long alias_nodes;    /* nodes copied through aliases */
	struct ymap anchors; /* name (arena) -> struct ynode * */
	bool fatal;          /* an error that ends the load */
	bool oom;
};

static struct diag_pos ybuild_mark(yaml_mark_t m)
{
	struct diag_pos p;
	p.line = m.line + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(m.line + 1);
	p.col = m.column + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(m.column + 1);
	return p;
}

/* Line and column of a byte offset of the raw input (encoding errors). */
static struct diag_pos ybuild_offset_pos(const struct ybuild *b, size_t off)
{
	struct diag_pos p = {1, 1};
	size_t i = 0;
	if (b->buflen >= 3 && !memcmp(b->buf, "\xef\xbb\xbf", 3))
		i = 3;
	for (; i < off && i < b->buflen; i++) {
		unsigned char c = (unsigned char)b->buf[i];
		if (c == '\n' || (c == '\r' && (i + 1 >= b->buflen || b->buf[i + 1] != '\n'))) {
			p.line++;
			p.col = 1;
		} else if ((c & 0xc0) != 0x80 && c != '\r') {
			p.col++;
		}
	}
	return p;
}

static int ybuild_count(struct ybuild *b, long n, struct diag_pos pos)
{
	if (n > SCENARIO_MAX_NODES - b->nodes) {
		diag_error(b->d, pos, "the scenario has more YAML nodes than the limit of %ld",
		           SCENARIO_MAX_NODES);
		b->fatal = true;
		return -EINVAL;
	}
	b->nodes += n;
	return 0;
}

/* Appends child to the open collection on top, or makes it the root. */
static int ybuild_add(struct ybuild *b, struct ynode *child)
{
	if (b->depth == 0) {
		if (b->t->root) {
			/* libyaml gives one root per document; documents are handled by the caller. */
			return 0;
		}
		b->t->root = child;
		return 0;
	}
	struct yframe *f = &b->stack[b->depth - 1];
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct ynode **items = realloc(f->items, cap * sizeof(*items));
		if (!items) {
			b->oom = true;
			return -ENOMEM;
		}
		f->items = items;
		f->cap = cap;
	}
	f->items[f->n++] = child;
	return 0;
}

static int ybuild_anchor(struct ybuild *b, const char *anchor, struct ynode *n)
{
	if (!anchor)
		return 0;
	char *name = sarena_strdup(b->t->arena, anchor);
	if (!name || ymap_put(&b->anchors, name, strlen(name), n)) {
		b->oom = true;
		return -ENOMEM;
	}
	return 0;
}

static void ynode_finish_counts(struct ynode *n, struct ynode **items, size_t nitems)
{
	uint64_t nn = 1;
	uint16_t h = 0;
	for (size_t i = 0; i < nitems; i++) {
		nn += items[i]->nnodes;
		if (items[i]->kind != YNODE_SCALAR && items[i]->height + 1 > h)
			h = (uint16_t)(items[i]->height + 1);
	}
	n->nnodes = nn > UINT32_MAX ? UINT32_MAX : (uint32_t)nn;
	n->height = h;
}

static bool ynode_is_merge_key(const struct ynode *k)
{
	return k->kind == YNODE_SCALAR && !k->quoted && k->len == 2 && !memcmp(k->str, "<<", 2);
}

/*
 * Closes a mapping: keys must be scalars and unique (the first one wins),
 * merge keys pull in the pairs of their mappings whose keys are not set.
 */
static int ybuild_close_mapping(struct ybuild *b, struct yframe *f)
{
	struct ynode *m = f->node;
	struct ymap seen = {0};
	struct ynode **out = NULL;
	size_t nout = 0;
	struct ynode **merge_src = NULL;
	size_t nmerge = 0;
	const struct ynode *first_merge = NULL; /* YAML keys are unique, '<<' too */
	int rc = 0;

	/* Pass 1: explicit keys. At most f->n nodes are kept, plus the merged ones. */
	size_t cap = f->n + 2;
	out = malloc(cap * sizeof(*out));
	if (!out) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i + 1 < f->n; i += 2) {
		struct ynode *k = f->items[i];
		struct ynode *v = f->items[i + 1];
		if (k->kind != YNODE_SCALAR) {
			diag_error(b->d, ynode_pos(k), "a key must be a scalar (got %s)",
			           ynode_kind_name(k->kind));
			continue;
		}
		if (ynode_is_merge_key(k) && first_merge) {
			diag_error(b->d, ynode_pos(k),
			           "duplicate key '<<' (first at %lu:%lu); merge several mappings "
			           "with one '<<' and a sequence: '<<: [*a, *b]'",
			           (unsigned long)first_merge->line,
			           (unsigned long)first_merge->col);
			continue;
		}
		if (ynode_is_merge_key(k)) {
			first_merge = k;
			size_t add = v->kind == YNODE_SEQUENCE ? v->len : 1;
			if (add == 0)
				continue; /* "<<: []" merges nothing (and realloc(p, 0) frees p) */
			struct ynode **ms = realloc(merge_src, (nmerge + add) * sizeof(*ms));
			if (!ms) {
				rc = -ENOMEM;
				goto out;
			}
			merge_src = ms;
			if (v->kind == YNODE_MAPPING) {
				merge_src[nmerge++] = v;
			} else if (v->kind == YNODE_SEQUENCE) {
				for (size_t j = 0; j < v->len; j++) {
					if (v->items[j]->kind == YNODE_MAPPING)
						merge_src[nmerge++] = v->items[j];
					else if (!v->items[j]->poisoned)
						diag_error(b->d, ynode_pos(v->items[j]),
						           "'<<' merges mappings (got %s)",
						           ynode_kind_name(v->items[j]->kind));
				}
			} else if (!v->poisoned) {
				diag_error(
				    b->d, ynode_pos(v),
				    "'<<' merges a mapping or a sequence of mappings (got %s)",
				    ynode_kind_name(v->kind));
			}
			continue;
		}
		struct ymap_slot *dup = ymap_find(&seen, k->str, k->len);
		if (dup) {
			char snip[64];
			const struct ynode *first = dup->val;
			diag_error(b->d, ynode_pos(k), "duplicate key '%s' (first at %lu:%lu)",
			           diag_snippet(snip, sizeof(snip), k->str, k->len),
			           (unsigned long)first->line, (unsigned long)first->col);
			continue;
		}
		if (ymap_put(&seen, k->str, k->len, k)) {
			rc = -ENOMEM;
			goto out;
		}
		out[nout++] = k;
		out[nout++] = v;
	}
	/* Pass 2: merged pairs, earlier sources first; explicit keys win. */
	for (size_t s = 0; s < nmerge; s++) {
		const struct ynode *src = merge_src[s];
		for (size_t j = 0; j < src->len; j++) {
			struct ynode *k = src->items[2 * j];
			if (k->kind != YNODE_SCALAR || ymap_find(&seen, k->str, k->len))
				continue;
			if (ymap_put(&seen, k->str, k->len, k)) {
				rc = -ENOMEM;
				goto out;
			}
			if (nout + 2 > cap) {
				size_t ncap = cap * 2 + 16;
				struct ynode **o = realloc(out, ncap * sizeof(*o));
				if (!o) {
					rc = -ENOMEM;
					goto out;
				}
				out = o;
				cap = ncap;
			}
			out[nout++] = k;
			out[nout++] = src->items[2 * j + 1];
		}
	}
	m->items = sarena_array(b->t->arena, nout, sizeof(*m->items));
	if (!m->items && nout) {
		rc = -ENOMEM;
		goto out;
	}
	if (nout)
		memcpy(m->items, out, nout * sizeof(*out));
	m->len = nout / 2;
	ynode_finish_counts(m, m->items, nout);
out:
	if (rc == -ENOMEM)
		b->oom = true;
	free(out);
	free(merge_src);
	ymap_fini(&seen);
	return rc;
}

static int ybuild_close(struct ybuild *b)
{
	struct yframe *f = &b->stack[b->depth - 1];
	struct ynode *n = f->node;
	int rc = 0;
	if (n->kind == YNODE_MAPPING) {
		rc = ybuild_close_mapping(b, f);
	} else {
		n->items = sarena_array(b->t->arena, f->n, sizeof(*n->items));
		if (!n->items && f->n) {
			b->oom = true;
			rc = -ENOMEM;
		} else {
			if (f->n)
				memcpy(n->items, f->items, f->n * sizeof(*f->items));
			n->len = f->n;
			ynode_finish_counts(n, n->items, f->n);
		}
	}
	if (!rc)
		rc = ybuild_anchor(b, f->anchor, n);
	free(f->items);
	free(f->anchor);
	memset(f, 0, sizeof(*f));
	b->depth--;
	if (!rc)
		rc = ybuild_add(b, n);
	return rc;
}

static bool ybuild_tag_is(const char *tag, const char *name)
{
	static const char core[] = "tag:yaml.org,2002:";
	return !strncmp(tag, core, sizeof(core) - 1) && !strcmp(tag + sizeof(core) - 1, name);
}

/* Whether a tag is acceptable on a node of this kind; sets *str for !!str and "!". */
static bool ybuild_tag_ok(const char *tag, enum ynode_kind kind, bool *str)
{
	*str = false;
	if (!tag)
		return true;
	if (!strcmp(tag, "!")) {
		*str = kind == YNODE_SCALAR;
		return true;
	}
	if (kind == YNODE_SCALAR) {
		if (ybuild_tag_is(tag, "str")) {
			*str = true;
			return true;
		}
		return ybuild_tag_is(tag, "int") || ybuild_tag_is(tag, "float") ||
		       ybuild_tag_is(tag, "bool") || ybuild_tag_is(tag, "null");
	}
	if (kind == YNODE_SEQUENCE)
		return ybuild_tag_is(tag, "seq");
	return ybuild_tag_is(tag, "map");
}

static void ybuild_bad_tag(struct ybuild *b, const char *tag, struct diag_pos pos)
{
	char snip[64];
	diag_error(b->d, pos, "unsupported tag '%s' (lpsim reads plain YAML values)",
	           diag_snippet(snip, sizeof(snip), tag, strlen(tag)));
}

static int ybuild_open(struct ybuild *b, enum ynode_kind kind, const yaml_event_t *ev)
{
	struct diag_pos pos = ybuild_mark(ev->start_mark);
	const char *anchor;
	const char *tag;
	if (kind == YNODE_MAPPING) {
		anchor = (const char *)ev->data.mapping_start.anchor;
		tag = (const char *)ev->data.mapping_start.tag;
	} else {
		anchor = (const char *)ev->data.sequence_start.anchor;
		tag = (const char *)ev->data.sequence_start.tag;
	}
	if (b->depth >= SCENARIO_MAX_DEPTH) {
		diag_error(b->d, pos, "the YAML is nested deeper than the limit of %d levels",
		           SCENARIO_MAX_DEPTH);
		b->fatal = true;
		return -EINVAL;
	}
	if (ybuild_count(b, 1, pos))
		return -EINVAL;
	struct ynode *n = ynode_new(b->t->arena, kind, pos.line, pos.col);
	if (!n) {
		b->oom = true;
		return -ENOMEM;
	}
	bool str;
	if (!ybuild_tag_ok(tag, kind, &str)) {
		ybuild_bad_tag(b, tag, pos);
		n->poisoned = true;
	}
	struct yframe *f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	if (anchor) {
		f->anchor = strdup(anchor);
		if (!f->anchor) {
			b->oom = true;
			return -ENOMEM;
		}
	}
	return 0;
}

static int ybuild_scalar(struct ybuild *b, const yaml_event_t *ev)
{
	struct diag_pos pos = ybuild_mark(ev->start_mark);
	if (ybuild_count(b, 1, pos))
		return -EINVAL;
	const char *tag = (const char *)ev->data.scalar.tag;
	bool str;
	bool tag_ok = ybuild_tag_ok(tag, YNODE_SCALAR, &str);
	bool quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if (tag && tag_ok)
		quoted = str;
	struct ynode *n = ynode_scalar(b->t->arena, (const char *)ev->data.scalar.value,
	                               ev->data.scalar.length, quoted, pos.line, pos.col);
	if (!n) {
		b->oom = true;
		return -ENOMEM;
	}
	if (!tag_ok) {
		ybuild_bad_tag(b, tag, pos);
		n->poisoned = true;
	}
	if (ybuild_anchor(b, (const char *)ev->data.scalar.anchor, n))
		return -ENOMEM;
	return ybuild_add(b, n);
}

static int ybuild_alias(struct ybuild *b, const yaml_event_t *ev)
{
	struct diag_pos pos = ybuild_mark(ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	char snip[64];
	struct ymap_slot *s = ymap_find(&b->anchors, name, strlen(name));
	if (!s) {
		bool open = false;
		for (size_t i = 0; i < b->depth; i++)
			if (b->stack[i].anchor && !strcmp(b->stack[i].anchor, name))
				open = true;
		diag_error(b->d, pos,
		           open ? "alias '*%s' refers to a node that contains it"
		                : "unknown anchor '%s' (an alias must follow its '&anchor')",
		           diag_snippet(snip, sizeof(snip), name, strlen(name)));
		if (ybuild_count(b, 1, pos))
			return -EINVAL;
		struct ynode *n = ynode_scalar(b->t->arena, "", 0, false, pos.line, pos.col);
		if (!n) {
			b->oom = true;
			return -ENOMEM;
		}
		n->poisoned = true;
		return ybuild_add(b, n);
	}
	const struct ynode *target = s->val;
	if (target->kind != YNODE_SCALAR &&
	    b->depth + 1 + (size_t)target->height > SCENARIO_MAX_DEPTH) {
		diag_error(b->d, pos, "the YAML is nested deeper than the limit of %d levels",
		           SCENARIO_MAX_DEPTH);
		b->fatal = true;
		return -EINVAL;
	}
	long n = (long)target->nnodes;
	if (n > SCENARIO_MAX_ALIAS_NODES - b->alias_nodes) {
		diag_error(b->d, pos,
		           "aliases expand to more nodes than the limit of %ld (an alias bomb?)",
		           SCENARIO_MAX_ALIAS_NODES);
		b->fatal = true;
		return -EINVAL;
	}
	b->alias_nodes += n;
	if (ybuild_count(b, n, pos))
		return -EINVAL;
	struct ynode *copy = ynode_copy(b->t->arena, target);
	if (!copy) {
		b->oom = true;
		return -ENOMEM;
	}
	return ybuild_add(b, copy);
}

/* Reports libyaml's error as a positioned message. */
static void ybuild_yaml_error(struct ybuild *b, const yaml_parser_t *p)
{
	char where[64] = "";
	const char *problem = p->problem ? p->problem : "unknown error";
	if (p->error == YAML_READER_ERROR) {
		size_t off = p->problem_offset;
		if (strstr(problem, "control characters")) {
			diag_error(b->d, ybuild_offset_pos(b, off),
			           "the file is not text: control character 0x%02x is not allowed",
			           (unsigned)p->problem_value & 0xffu);
			return;
		}
		if (strstr(problem, "UTF-8") || strstr(problem, "Unicode")) {
			/* Point at the first byte of the bad sequence, not at the byte that broke it. */
			if (off < b->buflen && ((unsigned char)b->buf[off] & 0xc0) != 0xc0) {
				size_t i = off;
				while (i > 0 && off - i < 4 &&
				       ((unsigned char)b->buf[i - 1] & 0xc0) == 0x80)
					i--;
				if (i > 0 && ((unsigned char)b->buf[i - 1] & 0xc0) == 0xc0)
					off = i - 1;
			}
			if (off >= b->buflen && b->buflen > 0) {
				size_t i = b->buflen;
				while (i > 0 && ((unsigned char)b->buf[i - 1] & 0xc0) == 0x80)
					i--;
				off = i > 0 ? i - 1 : 0;
			}
			unsigned byte = off < b->buflen ? (unsigned char)b->buf[off] : 0;
			diag_error(b->d, ybuild_offset_pos(b, off),
			           "the file is not valid UTF-8 text: byte 0x%02x does not begin a "
			           "valid UTF-8 character",
			           byte);
			return;
		}
		diag_error(b->d, ybuild_offset_pos(b, off),
		           "the file cannot be read as YAML text: %s", problem);
		return;
	}
	if (p->context) {
		struct diag_pos cp = ybuild_mark(p->context_mark);
		snprintf(where, sizeof(where), " at %lu:%lu", (unsigned long)cp.line,
		         (unsigned long)cp.col);
		diag_error(b->d, ybuild_mark(p->problem_mark), "invalid YAML: %s (%s%s)", problem,
		           p->context, where);
	} else {
		diag_error(b->d, ybuild_mark(p->problem_mark), "invalid YAML: %s", problem);
	}
}

static int ytree_build(const char *buf, size_t len, const char *file, struct diag *d,
                       struct ytree **out)
{
	*out = NULL;
	struct ybuild b;
	memset(&b, 0, sizeof(b));
	b.d = d;
	b.buf = buf;
	b.buflen = len;
	int rc = 0;
	size_t errors_before = d->n + d->dropped;

	struct ytree *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->arena = sarena_new();
	if (!t->arena) {
		free(t);
		return -ENOMEM;
	}
	t->file = sarena_strdup(t->arena, file);
	if (!t->file) {
		ytree_free(t);
		return -ENOMEM;
	}
	b.t = t;

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		ytree_free(t);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	bool done = false;
	int documents = 0;
	while (!done && !b.fatal && !b.oom) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			if (parser.error == YAML_MEMORY_ERROR) {
				b.oom = true;
			} else {
				ybuild_yaml_error(&b, &parser);
				b.fatal = true;
			}
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1) {
				diag_error(
				    d, ybuild_mark(ev.start_mark),
				    "a scenario is one YAML document; a second one starts here");
				done = true;
			}
			break;
		case YAML_MAPPING_START_EVENT:
			ybuild_open(&b, YNODE_MAPPING, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			ybuild_open(&b, YNODE_SEQUENCE, &ev);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (b.depth > 0)
				ybuild_close(&b);
			break;
		case YAML_SCALAR_EVENT:
			ybuild_scalar(&b, &ev);
			break;
		case YAML_ALIAS_EVENT:
			ybuild_alias(&b, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	while (b.depth > 0) {
		struct yframe *f = &b.stack[--b.depth];
		free(f->items);
		free(f->anchor);
	}
	ymap_fini(&b.anchors);

	if (b.oom) {
		rc = -ENOMEM;
		goto out_free_tree;
	}
	if (b.fatal) {
		rc = -EINVAL;
		goto out_free_tree;
	}
	if (!t->root || ynode_is_null(t->root)) {
		struct diag_pos first = {1, 1};
		diag_error(d, first, "empty scenario: expected a mapping with 'lpsim: %d'",
		           SCENARIO_FORMAT_VERSION);
		rc = -EINVAL;
		goto out_free_tree;
	}
	*out = t;
	t->broken = d->n + d->dropped > errors_before;
	return t->broken ? -EINVAL : 0;

out_free_tree:
	ytree_free(t);
	return rc;
}

int ytree_load_buffer(const char *buf, size_t len, const char *file, struct diag *d,
                      struct ytree **out)
{
	*out = NULL;
	if (len > (size_t)SCENARIO_MAX_FILE_BYTES) {
		struct diag_pos none = {0, 0};
		diag_error(d, none, "the file is %zu bytes, more than the limit of %ld (64 MiB)",
		           len, SCENARIO_MAX_FILE_BYTES);
		return -EINVAL;
	}
	return ytree_build(buf, len, file, d, out);
}

/* Reads all of fd (at most SCENARIO_MAX_FILE_BYTES + 1 bytes) into *buf. */
static int ytree_read_fd(int fd, size_t hint, char **buf, size_t *len)
{
	size_t cap = hint + 1;
	size_t n = 0;
	char *p = malloc(cap);
	if (!p)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > (size_t)SCENARIO_MAX_FILE_BYTES)
				break;
			size_t ncap = cap * 2;
			char *q = realloc(p, ncap);
			if (!q) {
				free(p);
				return -ENOMEM;
			}
			p = q;
			cap = ncap;
		}
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno == EINVAL ? EIO : errno;
			free(p);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = p;
	*len = n;
	return 0;
}

int ytree_load_file(const char *path, struct diag *d, struct ytree **out)
{
	*out = NULL;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno == EINVAL ? -EIO : -errno;
	struct stat st;
	int rc;
	if (fstat(fd, &st)) {
		rc = -errno;
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto out_close;
	}
	if (S_ISREG(st.st_mode) && st.st_size > SCENARIO_MAX_FILE_BYTES) {
		struct diag_pos none = {0, 0};
		diag_error(d, none, "the file is %lld bytes, more than the limit of %ld (64 MiB)",
		           (long long)st.st_size, SCENARIO_MAX_FILE_BYTES);
		rc = -EINVAL;
		goto out_close;
	}
	char *buf = NULL;
	size_t len = 0;
	rc = ytree_read_fd(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 4096, &buf, &len);
	if (rc)
		goto out_close;
	rc = ytree_load_buffer(buf, len, path, d, out);
	free(buf);
out_close:
	close(fd);
	return rc;
}

void ytree_free(struct ytree *t)
{
	if (!t)
		return;
	sarena_free(t->arena);
	free(t);
}

struct ytree *ytree_clone(const struct ytree *t)
{
	struct ytree *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->arena = sarena_new();
	if (!c->arena)
		goto out_free;
	c->broken = t->broken;
	c->file = sarena_strdup(c->arena, t->file);
	c->root = ynode_clone_into(c->arena, t->root);
	if (!c->file || !c->root)
		goto out_free;
	return c;
out_free:
	ytree_free(c);
	return NULL;
}

struct ytree *ytree_clone_without(const struct ytree *t, const char *key)
{
	const struct ynode *r = t->root;
	size_t klen = strlen(key);
	size_t keep = 0;
	for (size_t i = 0; r->kind == YNODE_MAPPING && i < r->len; i++) {
		const struct ynode *k = r->items[2 * i];
		keep += !(k->kind == YNODE_SCALAR && k->len == klen && !memcmp(k->str, key, klen));
	}
	if (r->kind != YNODE_MAPPING || keep == r->len)
		return ytree_clone(t);
	/* A shallow root without the key's pairs, cloned deeply below. */
	struct ynode root = *r;
	struct ynode **items = malloc((2 * keep + 1) * sizeof(*items));
	if (!items)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < r->len; i++) {
		const struct ynode *k = r->items[2 * i];
		if (k->kind == YNODE_SCALAR && k->len == klen && !memcmp(k->str, key, klen))
			continue;
		items[n++] = r->items[2 * i];
		items[n++] = r->items[2 * i + 1];
	}
	root.items = items;
	root.len = keep;
	ynode_finish_counts(&root, items, n);
	struct ytree shallow = *t;
	shallow.root = &root;
	struct ytree *c = ytree_clone(&shallow);
	free(items);
	return c;
}

/* ---- setting a scalar by path --------------------------------------------- */

struct ypath_seg {
	const char *key; /* into the path string */
	size_t klen;
	const char *sel; /* selector between [ ], or NULL */
	size_t slen;
};

/* Splits path into segments; returns their number, or 0 after reporting. */
static size_t ypath_parse(const char *path, struct ypath_seg *segs, size_t max, struct diag *d,
                          struct diag_pos pos)
{
	size_t n = 0;
	const char *p = path;
	char snip[64];
	const char *bad = NULL;
	for (;;) {
		if (n == max) {
			bad = "too many parts";
			break;
		}
		struct ypath_seg *s = &segs[n];
		s->key = p;
		while (*p && *p != '.' && *p != '[' && *p != ']')
			p++;
		s->klen = (size_t)(p - s->key);
		s->sel = NULL;
		s->slen = 0;
		if (s->klen == 0) {
			bad = "empty key";
			break;
		}
		if (*p == '[') {
			s->sel = ++p;
			while (*p && *p != ']')
				p++;
			if (!*p) {
				bad = "'[' without ']'";
				break;
			}
			s->slen = (size_t)(p - s->sel);
			p++;
			if (s->slen == 0) {
				bad = "empty []";
				break;
			}
		}
		n++;
		if (!*p)
			return n;
		if (*p != '.') {
			bad = "expected '.' or the end after ']'";
			break;
		}
		p++;
	}
	diag_error(
	    d, pos,
	    "bad path '%s': %s (expected keys joined by '.', each with an optional [N] or [NAME])",
	    diag_snippet(snip, sizeof(snip), path, strlen(path)), bad);
	return 0;
}

static bool ypath_is_index(const char *s, size_t len, size_t *idx)
{
	size_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (SIZE_MAX - 9) / 10)
			return false;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*idx = v;
	return true;
}

/* Returns the slot of key in mapping m, appending a null value when it is missing. */
static struct ynode **ypath_slot(struct sarena *a, struct ynode *m, const char *key, size_t klen,
                                 struct diag_pos pos)
{
	for (size_t i = 0; i < m->len; i++) {
		struct ynode *k = m->items[2 * i];
		if (k->kind == YNODE_SCALAR && k->len == klen && !memcmp(k->str, key, klen))
			return &m->items[2 * i + 1];
	}
	struct ynode **items = sarena_array(a, 2 * (m->len + 1), sizeof(*items));
	struct ynode *k = ynode_scalar(a, key, klen, false, pos.line, pos.col);
	struct ynode *v = ynode_scalar(a, "", 0, false, pos.line, pos.col);
	if (!items || !k || !v)
		return NULL;
	if (m->len)
		memcpy(items, m->items, 2 * m->len * sizeof(*items));
	items[2 * m->len] = k;
	items[2 * m->len + 1] = v;
	m->items = items;
	m->len++;
	return &items[2 * m->len - 1];
}

int ytree_set(struct ytree *t, const char *path, const char *value, bool quoted,
              struct diag_pos pos, struct diag *d)
{
	struct ypath_seg segs[SCENARIO_MAX_DEPTH];
	size_t nseg = ypath_parse(path, segs, SCENARIO_MAX_DEPTH, d, pos);
	if (!nseg)
		return -EINVAL;
	char snip[64];
	char what[64];
	struct ynode **slot = &t->root;
	for (size_t i = 0; i < nseg; i++) {
		const struct ypath_seg *s = &segs[i];
		/* What the path names so far, for messages. */
		size_t upto = (size_t)(s->key - path);
		struct ynode *cur = *slot;
		if (ynode_is_null(cur)) {
			struct ynode *m = ynode_new(t->arena, YNODE_MAPPING, pos.line, pos.col);
			if (!m)
				return -ENOMEM;
			*slot = cur = m;
		}
		if (cur->kind != YNODE_MAPPING) {
			diag_error(d, pos, "path '%s': '%s' is %s, not a mapping with key '%.*s'",
			           diag_snippet(snip, sizeof(snip), path, strlen(path)),
			           upto ? diag_snippet(what, sizeof(what), path, upto - 1)
			                : "the scenario",
			           ynode_kind_name(cur->kind), (int)s->klen, s->key);
			return -EINVAL;
		}
		slot = ypath_slot(t->arena, cur, s->key, s->klen, pos);
		if (!slot)
			return -ENOMEM;
		if (!s->sel)
			continue;
		struct ynode *seq = *slot;
		size_t named = (size_t)(s->sel - 1 - path);
		if (seq->kind != YNODE_SEQUENCE) {
			diag_error(d, pos, "path '%s': '%s' is %s, not a sequence",
			           diag_snippet(snip, sizeof(snip), path, strlen(path)),
			           diag_snippet(what, sizeof(what), path, named),
			           ynode_is_null(seq) ? "missing" : ynode_kind_name(seq->kind));
			return -EINVAL;
		}
		size_t idx;
		if (ypath_is_index(s->sel, s->slen, &idx)) {
			if (idx >= seq->len) {
				diag_error(d, pos, "path '%s': '%s' has %zu items, so no [%zu]",
				           diag_snippet(snip, sizeof(snip), path, strlen(path)),
				           diag_snippet(what, sizeof(what), path, named), seq->len,
				           idx);
				return -EINVAL;
			}
			slot = &seq->items[idx];
			continue;
		}
		struct ynode **found = NULL;
		for (size_t j = 0; j < seq->len && !found; j++) {
			const struct ynode *nm = ynode_get(seq->items[j], "name");
			if (nm && nm->kind == YNODE_SCALAR && nm->len == s->slen &&
			    !memcmp(nm->str, s->sel, s->slen))
				found = &seq->items[j];
		}
		if (!found) {
			diag_error(d, pos, "path '%s': no item of '%s' has name '%.*s'",
			           diag_snippet(snip, sizeof(snip), path, strlen(path)),
			           diag_snippet(what, sizeof(what), path, named), (int)s->slen,
			           s->sel);
			return -EINVAL;
		}
		slot = found;
	}
	struct ynode *v = ynode_scalar(t->arena, value, strlen(value), quoted, pos.line, pos.col);
	if (!v)
		return -ENOMEM;
	*slot = v;
	return 0;
}
