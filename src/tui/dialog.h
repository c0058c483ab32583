/* dialog: the forms behind u, +, b, B and A, one per write_op. They check as
 * they are filled (write_check) and write through write_apply; dialog_key
 * says what happened, and what to show and reload afterwards is the app's. */
#ifndef CONSORT_TUI_DIALOG_H
#define CONSORT_TUI_DIALOG_H

#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/write.h"
#include "tui/list.h"

/* A dialog (u, +, b, B): a small form for one write_op. */
enum field_type { F_CHOICE, F_TEXT };
struct field {
	const char *label;
	enum field_type type;
	const char **choices;   /* F_CHOICE: borrowed, NULL-terminated */
	int nchoices, choice;
	char text[128];         /* F_TEXT */
	size_t len;
	int fresh;              /* F_TEXT focused with its prefilled value: the first key typed replaces it */
};
#define DIALOG_MAX_FIELDS 6
struct dialog {
	int open;
	enum write_op op;       /* W_UPDATE, W_RECORD, W_BENCH (a value), W_LABEL, W_NOTE */
	char item[64];          /* W_NOTE: the item commented on */
	char title[160];
	struct ref ref;
	struct field f[DIALOG_MAX_FIELDS];
	int nf, cur;
	char error[1024];
	int ok;                 /* the last check passed */
	const char **owned;     /* arrays to free with the dialog */
	const char **owned2;
	struct project *plan;   /* W_AMEND: the definition file's model, owned */
};

struct app;

enum dialog_result {
	DIALOG_STAY,    /* the form is still open */
	DIALOG_CLOSED,  /* cancelled: nothing written */
	DIALOG_WROTE,   /* written and closed: the app reloads */
};
struct dialog_done {
	int64_t first;          /* the first log row written */
	cdate effective;        /* its effective date */
};
/* The form for op on the row r; returns 0, or -1 with why it cannot open. */
int dialog_open(struct app *a, enum write_op op, struct ref r, char *why, size_t whyn);
void dialog_close(struct app *a);
void dialog_draw(struct app *a);
enum dialog_result dialog_key(struct app *a, int ch, struct dialog_done *done);
/* Typed text that is not ASCII (UTF-8 bytes of one character). */
void dialog_text(struct app *a, const char *utf8);

#endif
