#!/bin/sh
# Counts read as English: a log of one entry says "1 entry" in status,
# verify and the md export, and "2 entries" once another is written.
. "$(dirname "$0")/lib.sh"

fixture "$T" "$(id -un)"
P="--project $T/proj.yaml"
export CONSORT_TODAY=2020-05-15
run $P init
expect_rc 0 "init"
# init records the plan's first version: one entry.
run $P verify
expect_rc 0 "verify a log of one entry"
expect_out "1 entry, head " "verify: 1 entry"
run $P export --format md
expect_out "- Log: 1 entry, head " "export md: 1 entry"
run $P status
expect_out "Log: 1 entry" "status: 1 entry"
run $P note T1.1 "a second entry"
expect_rc 0 "a second entry"
run $P verify
expect_out "2 entries, head " "verify: 2 entries"
run $P export --format md
expect_out "- Log: 2 entries, head " "export md: 2 entries"
finish
