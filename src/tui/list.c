/* list: the one loop every pane's list goes through (like tig's
 * draw_view_line or htop's Panel_draw). It keeps the selection in view,
 * draws the selection glyph, tells the row whether it carries the focus
 * (A_REVERSE on its key cells), remembers which row each line shows (for the
 * mouse) and says when there is nothing to show. Columns are a table of
 * widths placed left to right. */
#include "config.h"

#include "tui/list.h"
#include "tui/app.h"

void pane_scroll_to(struct pane *pn, int nrows, int h)
{
	if (nrows <= 0) {
		pn->sel = pn->top = 0;
		return;
	}
	if (pn->sel >= nrows)
		pn->sel = nrows - 1;
	if (pn->sel < 0)
		pn->sel = 0;
	if (h < 1)
		h = 1;
	if (pn->sel < pn->top)
		pn->top = pn->sel;
	if (pn->sel >= pn->top + h)
		pn->top = pn->sel - h + 1;
	if (pn->top > nrows - h)
		pn->top = nrows - h > 0 ? nrows - h : 0;
	if (pn->top < 0)
		pn->top = 0;
}

void pane_marks_reset(struct pane *pn, struct rect r)
{
	pn->r = r;
	if (r.h > pn->nline_row) {
		pn->line_row = xrealloc(pn->line_row, (size_t)r.h * sizeof *pn->line_row);
		pn->nline_row = r.h;
	}
	for (int i = 0; i < pn->nline_row; i++)
		pn->line_row[i] = -1;
}

void pane_mark(struct pane *pn, int line, int row)
{
	if (line >= 0 && line < pn->nline_row && line < pn->r.h)
		pn->line_row[line] = row;
}

int list_draw(struct app *a, struct pane *pn, struct rect r, int n, const struct list_view *v)
{
	if (!v->scrolled)
		pane_scroll_to(pn, n, v->h);
	int has_focus = pn == app_pane(a);
	int y = v->y, end = v->y + v->h;
	for (int i = pn->top; i < n && y < end; i++) {
		struct list_row row;
		row.index = i;
		row.y = y;
		row.selected = i == pn->sel;
		row.focus = row.selected && has_focus;
		row.sel = row.focus ? A_REVERSE : 0;
		if (row.selected)
			ui_text(a, y, r.x, 1, row.focus ? T_ACCENT : T_DIM, ui_glyph(a, "\u25b6", ">"));
		int used = v->draw_row(a, pn, v->ctx, &row, end - y);
		for (int k = 0; k < used && y < end; k++, y++)
			pane_mark(pn, y - r.y, i);
		y += v->gap;
	}
	if (n == 0 && v->empty)
		ui_text(a, y++, r.x + 2, r.w - 2, T_DIM, v->empty);
	return y;
}

int columns_width(const struct column *c, int n)
{
	int w = 0;
	for (int i = 0; i < n; i++)
		w += (c[i].w > 0 ? c[i].w : 0) + c[i].gap;
	return w;
}

void columns_place(struct column *c, int n, int x, int x_end)
{
	for (int i = 0; i < n; i++) {
		c[i].x = x;
		if (c[i].w < 0)
			c[i].w = x_end - x;
		x += c[i].w + c[i].gap;
	}
}

void columns_header(const struct app *a, int y, const struct column *c, int n)
{
	for (int i = 0; i < n; i++)
		if (c[i].head && c[i].w > 0)
			ui_cell(a, y, c[i].x, c[i].w, 'l', T_DIM, c[i].head);
}
