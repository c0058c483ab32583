#!/bin/sh
# The update form in a real terminal (tmux, on a private server): until
# something changes, the form says what to do for the field the cursor is
# on: type a progress on Progress, choose a status on Status.
. "$(dirname "$0")/lib.sh"
tui_demo tmuxform
tui_tmux "$CONSORT"
wait_for "Work packages" 100 || { bad "the dashboard did not start"; screen; exit 1; }

# T1.1's form opens on Progress, with nothing changed yet.
keys 1
wait_for "T1.1" 20 || bad "pane 1 does not show the tasks"
keys j u
wait_for "Update T1.1" 20 || { bad "u did not open the form on T1.1"; screen; }
wait_for "type a new progress (0-100)" 20 || { bad "on Progress the form does not ask for a progress"; screen; }
screen | grep -qF "choose a new status (" && bad "on Progress the form asks to choose a status with the arrows"
# The key line too: arrows choose only in a choice, a text field is typed.
wait_for "Tab next field  type to change" 20 || { bad "on Progress the key line does not say to type"; screen; }
keys BTab
wait_for "choose a new status (" 20 || { bad "on Status the form does not ask for a status"; screen; }
wait_for "Tab next field  ←→ choose" 20 || { bad "on Status the key line does not say the arrows choose"; screen; }
keys Tab Tab
wait_for "nothing changes yet" 20 || { bad "on Note the form does not say nothing changes"; screen; }
keys Escape
wait_for "cancelled" 20 || bad "Esc did not cancel the form"
keys q

[ "$fail" -eq 0 ] && echo "ok: the update form's hints"
exit "$fail"
