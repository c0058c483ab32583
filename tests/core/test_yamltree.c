/* yamltree: the tree of a YAML text, with the place of every node, and
 * each refusal handed to the caller as one message with its place. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/yamltree.h"

struct seen {
	int n;
	int line, col;
	char msg[512];
};

static void on_error(void *ctx, int line, int col, const char *msg)
{
	struct seen *s = ctx;
	if (s->n++ == 0) {
		s->line = line;
		s->col = col;
		snprintf(s->msg, sizeof s->msg, "%s", msg);
	}
}

static const char *on_quote(void *ctx, const char *s)
{
	static char buf[256];
	(void)ctx;
	snprintf(buf, sizeof buf, "<%s>", s);
	return buf;
}

static int build(struct yamltree *t, struct seen *s, const char *text, struct node **root)
{
	memset(t, 0, sizeof *t);
	memset(s, 0, sizeof *s);
	t->error = on_error;
	t->quote = on_quote;
	t->ctx = s;
	return yamltree_build(t, text, strlen(text), root);
}

Test(yamltree, builds_mappings_lists_and_scalars_with_places)
{
	struct yamltree t;
	struct seen s;
	struct node *root;
	cr_assert_eq(build(&t, &s, "a: 1\nb:\n  - x\n  - \"\"\nc:\n", &root), 0);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(root->type, N_MAP);
	cr_assert_eq(root->nkid, 6);
	cr_assert_str_eq(root->kid[0]->s, "a");
	cr_assert_str_eq(root->kid[1]->s, "1");
	const struct node *b = root->kid[3];
	cr_assert_eq(b->type, N_SEQ);
	cr_assert_eq(b->nkid, 2);
	cr_assert_eq(b->kid[0]->line, 3);
	cr_assert_eq(b->kid[0]->col, 5);
	cr_assert_eq(b->kid[1]->null, 0, "a quoted empty string is a value");
	cr_assert_eq(root->kid[5]->null, 1, "an empty plain scalar is no value");
	yamltree_free(&t);
	cr_assert_null(t.top);
}

Test(yamltree, refuses_anchor_with_its_place)
{
	struct yamltree t;
	struct seen s;
	struct node *root;
	cr_assert_eq(build(&t, &s, "a: 1\nb: &x 2\n", &root), -1);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.line, 2);
	cr_assert_eq(s.col, 4);
	cr_assert_str_eq(s.msg, "anchor <x> is not allowed (anchors and aliases are not supported)");
	yamltree_free(&t);
}

Test(yamltree, refuses_bad_bytes_before_parsing)
{
	struct yamltree t;
	struct seen s;
	struct node *root = (struct node *)&t;
	cr_assert_eq(build(&t, &s, "a: 1\nb: \x01\n", &root), -1);
	cr_assert_null(root);
	cr_assert_eq(s.line, 2);
	cr_assert_eq(s.col, 4);
	cr_assert_str_eq(s.msg, "control character U+0001 is not allowed; expected text");
	yamltree_free(&t);
}

Test(yamltree, refuses_nesting_beyond_the_limit)
{
	struct yamltree t;
	struct seen s;
	struct node *root;
	char deep[400];
	size_t k = 0;
	for (int i = 0; i < 70; i++)
		deep[k++] = '[';
	deep[k] = '\0';
	cr_assert_eq(build(&t, &s, deep, &root), -1);
	cr_assert_str_eq(s.msg, "nesting deeper than 64 levels");
	yamltree_free(&t);
}
