/* yamltree: the bytes of a definition checked, then libyaml's events
 * built into the tree of yamltree.h. */
#include "config.h"
#include "core/yamltree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/load.h"
#include "core/text.h"
#include "core/util.h"

#define LOAD_MAX_NODES 1000000  /* more than any real definition needs */
_Static_assert(LOAD_MAX_SCALAR < (1L << 24), "a scalar's length fits struct node's len");

__attribute__((format(printf, 4, 5)))
static void tree_error(struct yamltree *l, int line, int col, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *msg = sbuf_take(&b);
	l->error(l->ctx, line, col, msg);
	free(msg);
}

/* The whole tree (nodes, scalar text, child arrays) lives in one arena,
 * freed at once: a large definition has a hundred thousand nodes. Chunks
 * are big enough that the allocator maps them and gives them back. */
#define ARENA_CHUNK (256 * 1024)

struct arena_chunk {
	struct arena_chunk *prev;
	size_t used, size;
	max_align_t data[];
};

/* n bytes at a multiple of align (a power of two) in the arena. */
static void *arena_take(struct yamltree *a, size_t n, size_t align)
{
	struct arena_chunk *c = a->top;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < n) {
		size_t size = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK - sizeof *c;
		c = xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		at = 0;
		/* A chunk taken for one large block does not retire the current one. */
		if (n > ARENA_CHUNK / 2 && a->top) {
			c->prev = a->top->prev;
			a->top->prev = c;
		} else {
			c->prev = a->top;
			a->top = c;
		}
	}
	void *r = (char *)c->data + at;
	c->used = at + n;
	return r;
}

/* Nodes and child arrays at the alignment any object needs (not rounded
 * up to sizeof (max_align_t), 32 bytes here: a node of 48 took 64). */
static void *arena_alloc(struct yamltree *a, size_t n)
{
	return arena_take(a, n, _Alignof(max_align_t));
}

/* Text needs no alignment: a scalar of a few bytes took 32. */
static char *arena_strndup(struct yamltree *a, const char *s, size_t len)
{
	char *r = arena_take(a, len + 1, 1);
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

void yamltree_free(struct yamltree *a)
{
	while (a->top) {
		struct arena_chunk *c = a->top;
		a->top = c->prev;
		free(c);
	}
	a->nnodes = 0;
	a->stop = 0;
}


/* The text must be UTF-8 and printable as YAML 1.1 defines it. */
static int check_bytes(struct yamltree *l, const char *buf, size_t len)
{
	int line = 1, col = 1;
	size_t i = 0;
	while (i < len) {
		/* Printable ASCII and newlines, the bulk of any file, need no decoding. */
		unsigned char c = (unsigned char)buf[i];
		if (c >= 0x20 && c < 0x7F) {
			col++;
			i++;
			continue;
		}
		if (c == '\n') {
			line++;
			col = 1;
			i++;
			continue;
		}
		long cp;
		int k = text_decode(buf + i, len - i, &cp);
		if (cp < 0) {
			tree_error(l, line, col,
			        "invalid UTF-8 (byte 0x%02X); expected UTF-8 text",
			        (unsigned)(unsigned char)buf[i]);
			return -1;
		}
		if (cp == 0) {
			tree_error(l, line, col, "NUL byte in the file; expected text");
			return -1;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
		    (cp >= 0x80 && cp <= 0x9F && cp != 0x85) || cp == 0xFFFE || cp == 0xFFFF) {
			tree_error(l, line, col,
			        "control character U+%04lX is not allowed; expected text", cp);
			return -1;
		}
		if (cp == '\n' || (cp == '\r' && !(i + 1 < len && buf[i + 1] == '\n'))) {
			line++;
			col = 1;
		} else if (cp != '\r') {
			col++;
		}
		i += (size_t)k;
	}
	return 0;
}

static struct node *node_new(struct yamltree *l, enum ntype t, yaml_mark_t m)
{
	struct node *n = arena_alloc(l, sizeof *n);
	memset(n, 0, sizeof *n);
	n->type = t;
	n->line = (int)m.line + 1;
	n->col = (int)m.column + 1;
	l->nnodes++;
	return n;
}

/* The children of an open list or mapping gather in a scratch vector per
 * depth, reused from one container to the next; when the container ends
 * they are copied into the arena at their final size. */
struct kids {
	struct node **v;
	size_t n, cap;
};

static void kids_add(struct kids *k, struct node *kid)
{
	if (k->n == k->cap)
		xgrow(&k->v, &k->cap, k->n + 1, sizeof *k->v);
	k->v[k->n++] = kid;
}

static void kids_close(struct yamltree *l, struct node *parent, struct kids *k)
{
	if (k->n) {
		parent->kid = arena_alloc(l, k->n * sizeof *parent->kid);
		memcpy(parent->kid, k->v, k->n * sizeof *parent->kid);
	}
	parent->nkid = k->n;
	k->n = 0;
}

static int mark_line(yaml_mark_t m) { return (int)m.line + 1; }
static int mark_col(yaml_mark_t m) { return (int)m.column + 1; }

/* Anchors, aliases and tags are refused; the tree is then not checked. */
static void refuse_props(struct yamltree *l, const yaml_event_t *ev, const yaml_char_t *anchor,
                         const yaml_char_t *tag)
{
	if (anchor) {
		tree_error(l, mark_line(ev->start_mark), mark_col(ev->start_mark),
		        "anchor %s is not allowed (anchors and aliases are not supported)",
		        l->quote(l->ctx, (const char *)anchor));
		l->stop = 1;
	}
	if (tag) {
		tree_error(l, mark_line(ev->start_mark), mark_col(ev->start_mark),
		        "tag %s is not allowed (values are read as written)",
		        l->quote(l->ctx, (const char *)tag));
		l->stop = 1;
	}
}

static struct node *parse_tree(struct yamltree *l, const char *buf, size_t len)
{
	yaml_parser_t ps;
	if (!yaml_parser_initialize(&ps)) {
		fputs("consort: out of memory\n", stderr);
		abort();
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&ps, YAML_UTF8_ENCODING);

	struct node *stack[LOAD_MAX_DEPTH + 1];
	struct kids kids[LOAD_MAX_DEPTH + 1];
	memset(kids, 0, sizeof kids);
	int depth = 0, ndocs = 0, done = 0;
	struct node *root = NULL;

	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&ps, &ev)) {
			yaml_mark_t m = ps.problem_mark;
			const char *prob = ps.problem ? ps.problem : "cannot parse";
			if (ps.error == YAML_READER_ERROR)
				tree_error(l, 0, 0, "not a readable YAML text: %s", prob);
			else if (ps.context)
				tree_error(l, mark_line(m), mark_col(m),
				        "invalid YAML: %s %s (line %d)", prob, ps.context,
				        mark_line(ps.context_mark));
			else
				tree_error(l, mark_line(m), mark_col(m), "invalid YAML: %s", prob);
			l->stop = 1;
			break;
		}
		struct node *n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1) {
				tree_error(l, mark_line(ev.start_mark), mark_col(ev.start_mark),
				        "a second YAML document; expected exactly one");
				l->stop = 1;
				done = 1;
			}
			break;
		case YAML_ALIAS_EVENT:
			tree_error(l, mark_line(ev.start_mark), mark_col(ev.start_mark),
			        "alias %s is not allowed (anchors and aliases are not supported)",
			        l->quote(l->ctx, (const char *)ev.data.alias.anchor));
			l->stop = 1;
			/* keep a placeholder so the structure stays well formed */
			n = node_new(l, N_SCALAR, ev.start_mark);
			n->null = 1;
			n->s = arena_strndup(l, "", 0);
			break;
		case YAML_SCALAR_EVENT:
			refuse_props(l, &ev, ev.data.scalar.anchor, ev.data.scalar.tag);
			n = node_new(l, N_SCALAR, ev.start_mark);
			if (ev.data.scalar.length > LOAD_MAX_SCALAR) {
				tree_error(l, n->line, n->col,
				        "a value of %zu bytes; at most %d bytes are allowed",
				        (size_t)ev.data.scalar.length, LOAD_MAX_SCALAR);
				l->stop = 1;
				done = 1;
				n->s = arena_strndup(l, "", 0);
				break;
			}
			n->len = ev.data.scalar.length;
			n->s = arena_strndup(l, (const char *)ev.data.scalar.value, n->len);
			n->null = n->len == 0 && ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (memchr(n->s, '\0', n->len)) {
				tree_error(l, n->line, n->col,
				        "a value holds a NUL character; expected text");
				l->stop = 1;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (ev.type == YAML_SEQUENCE_START_EVENT)
				refuse_props(l, &ev, ev.data.sequence_start.anchor,
				             ev.data.sequence_start.tag);
			else
				refuse_props(l, &ev, ev.data.mapping_start.anchor,
				             ev.data.mapping_start.tag);
			if (depth >= LOAD_MAX_DEPTH) {
				tree_error(l, mark_line(ev.start_mark), mark_col(ev.start_mark),
				        "nesting deeper than %d levels", LOAD_MAX_DEPTH);
				l->stop = 1;
				done = 1;
				break;
			}
			n = node_new(l, ev.type == YAML_SEQUENCE_START_EVENT ? N_SEQ : N_MAP,
			             ev.start_mark);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0) {
				depth--;
				kids_close(l, stack[depth], &kids[depth]);
			}
			break;
		default:
			break;
		}
		if (n) {
			if (depth > 0)
				kids_add(&kids[depth - 1], n);
			else if (!root)
				root = n;
			else
				n = NULL; /* cannot happen: one document, one root */
		}
		if (n) {
			if (n->type != N_SCALAR)
				stack[depth++] = n;
			if (l->nnodes > LOAD_MAX_NODES) {
				tree_error(l, n->line, n->col,
				        "more than %d values in one file", LOAD_MAX_NODES);
				l->stop = 1;
				done = 1;
			}
		}
		yaml_event_delete(&ev);
	}
	/* Containers left open by an error keep what they have. */
	while (depth > 0) {
		depth--;
		kids_close(l, stack[depth], &kids[depth]);
	}
	for (int i = 0; i <= LOAD_MAX_DEPTH; i++)
		free(kids[i].v);
	yaml_parser_delete(&ps);
	return root;
}


int yamltree_build(struct yamltree *t, const char *buf, size_t len, struct node **root)
{
	*root = NULL;
	if (check_bytes(t, buf, len) != 0)
		return -1;
	*root = parse_tree(t, buf, len);
	return t->stop ? -1 : 0;
}
