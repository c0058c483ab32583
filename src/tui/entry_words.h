/* entry_words: a log entry described in words, for the activity pane and
 * the details' history alike. No curses, no drawing. */
#ifndef CONSORT_TUI_ENTRY_WORDS_H
#define CONSORT_TUI_ENTRY_WORDS_H

#include "core/store.h"
#include "core/util.h"

/* What an entry did, in a few words, appended to b: "drafting", "40%",
 * "+14", "label gold", "undo #12". */
void activity_what(const struct entry *en, struct sbuf *b);

#endif
