#!/bin/sh
# Forged definitions, as a real other Unix user with a shell: a user in no
# partner and a partner's user each try a definition that lists them under
# the coordinator (and changes a target) through --project, CONSORT_PROJECT,
# a ./consort.yaml, CONSORT_DATA, and a replaced definition file beside the
# log. The log's plan decides: none of them accepts a deliverable (77),
# writes anything or changes a number; the real coordinator still can.
# Needs root (to create users and switch to them).
. "$(dirname "$0")/../lib.sh"

new_group GROUP grp
new_user ANNA anna "$GROUP"
new_user CORA cora "$GROUP"
new_user EVE eve "$GROUP"

fixture "$T/srv" "$CORA" "$ANNA"
DB=$T/srv/proj.db
export CONSORT_TODAY=2020-05-15
# The directory as the administrator prepares it: the group's, setgid
# (init --shared checks it, no longer makes it so).
chgrp "$GROUP" "$T/srv"
chmod 2775 "$T/srv"
run --project "$T/srv/proj.yaml" init --shared "$GROUP"
expect_rc 0 "init --shared (root, for the coordinator's plan)"
run_as $CORA --db "$DB" update D1.1 --status submitted
expect_rc 0 "the coordinator submits D1.1"
chmod -R a+rX "$T/srv"

# forge USER FILE: the definition with USER as the coordinator's user and
# the SME target raised.
forge() {
	sed -e "s/users: \[$ANNA\]/users: []/" -e "s/users: \[$CORA\]/users: [$1]/" \
		-e "s/target: 120/target: 999/" "$T/srv/proj.yaml" >"$2"
	grep -q "users: \[$1\]" "$2" || fail "forge: $1 not under the coordinator in $2"
	chmod a+r "$2"
}
smes_target() { json_get "$OUT" '[t["target"] for t in d["targets"] if t["id"]=="smes"][0]'; }

n0=$(log_count "$DB")
for who in "$EVE" "$ANNA"; do
	mkdir -p "$T/$who/evil" && chmod -R a+rwX "$T/$who"
	forge "$who" "$T/$who/my.yaml"
	cp "$T/$who/my.yaml" "$T/$who/evil/5forexcellence.yaml" && chmod -R a+rX "$T/$who/evil"

	run_as $who --project "$T/$who/my.yaml" --db "$DB" update D1.1 --status accepted
	expect_rc 77 "$who: --project my.yaml cannot accept D1.1"
	expect_err "differs from the plan in the log" "$who: --project is only compared"

	RUN_ENV="CONSORT_PROJECT=$T/$who/my.yaml" run_as $who --db "$DB" update D1.1 --status accepted
	expect_rc 77 "$who: CONSORT_PROJECT cannot accept D1.1"

	cp "$T/$who/my.yaml" "$T/consort.yaml" && chmod a+r "$T/consort.yaml"
	run_as $who --db "$DB" update D1.1 --status accepted
	expect_rc 77 "$who: ./consort.yaml cannot accept D1.1"
	rm -f "$T/consort.yaml"

	RUN_ENV="CONSORT_DATA=$T/$who/evil" run_as $who --db "$DB" update D1.1 --status accepted
	expect_rc 77 "$who: CONSORT_DATA cannot accept D1.1"

	run_as $who --project "$T/$who/my.yaml" --db "$DB" status --json
	expect_rc 0 "$who: status with the forged file"
	[ "$(smes_target)" = 120 ] && pass "$who: the forged file changes no number" ||
		fail "$who: SME target $(smes_target) with the forged file"
done

# A definition replaced beside the log (its directory is the group's).
cp "$T/srv/proj.yaml" "$T/real.yaml"
forge "$EVE" "$T/eve.yaml"
setpriv --reuid="$(id -u "$EVE")" --regid="$(id -g "$EVE")" --init-groups \
	sh -c "cp '$T/eve.yaml' '$T/srv/proj.yaml.new' && mv -f '$T/srv/proj.yaml.new' '$T/srv/proj.yaml'" &&
	pass "the partner replaced the definition beside the log" ||
	{ cp "$T/eve.yaml" "$T/srv/proj.yaml"; pass "the definition replaced (by root)"; }
run_as $EVE --project "$T/srv/proj.yaml" update D1.1 --status accepted
expect_rc 77 "$EVE: the replaced definition does not make him coordinator"
[ "$n0" = "$(log_count "$DB")" ] && pass "no forged write reached the log" ||
	fail "forged writes: $n0 -> $(log_count "$DB") entries"
run_as $CORA --project "$T/srv/proj.yaml" --as-of 2020-05-15 status --json
[ "$(smes_target)" = 120 ] && pass "the replaced definition changes no number" ||
	fail "SME target $(smes_target) after the replacement"
run_as $CORA --project "$T/srv/proj.yaml" update D1.1 --status accepted
expect_rc 0 "the real coordinator still accepts D1.1"
expect_err "differs from the plan in the log" "and is told the file differs"
finish
