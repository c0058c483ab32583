#!/bin/sh
# A partner's log (log --partner, and the dashboard's activity under its
# filter, which use the same rule) holds the effort and costs that partner
# recorded, never another partner's effort on a WP the two share.
. "$(dirname "$0")/../lib.sh"

HOME=$T XDG_DATA_HOME=$T/data CONSORT_TODAY=2017-04-15 LC_ALL=C.UTF-8 TZ=UTC
export HOME XDG_DATA_HOME CONSORT_TODAY LC_ALL TZ
unset CONSORT_PROJECT CONSORT_DB
cd "$T" || exit 1
run demo
expect_rc 0 "the demo"
run log --partner LITC --json
expect_rc 0 "log --partner LITC"
others=$(json_get "$OUT" 'len([x for x in d if x["kind"] in ("effort", "cost") and x["partner"] != "LITC"])')
own=$(json_get "$OUT" 'len([x for x in d if x["kind"] == "effort" and x["partner"] == "LITC"])')
[ "$others" = 0 ] && pass "no other partner's effort or costs" || fail "$others entries of effort or costs by other partners"
[ "${own:-0}" -gt 0 ] && pass "LITC's own effort is there ($own)" || fail "LITC's own effort is missing"
finish
