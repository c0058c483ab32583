# A shared server for the setgid tests (sourced after ../lib.sh; root
# only): the log's group CG that nobody is in, the partners' group PG with
# the users ANNA and BERT (the fixture's PA and PB) and JANIS (the
# coordinator), the fixture in $P, a copy of consort setgid to CG
# ($SHARED/bin/consort, run by run_as), and the log's directory $S,
# root:CG 2775, for the log $DB. PR holds the options naming both.
setgid_server() {
	new_group CG cgrp
	new_group PG partners
	new_user ANNA anna "$PG"
	new_user BERT bert "$PG"
	new_user JANIS janis "$PG"
	P=$T/p
	fixture "$P" "$JANIS" "$ANNA" "" "$BERT"
	chmod -R a+rX "$P"
	share_with_others || finish
	chgrp "$CG" "$SHARED/bin/consort" && chmod 2755 "$SHARED/bin/consort" ||
		{ fail "cannot make the test binary setgid"; finish; }
	case $(findmnt -n -o OPTIONS -T "$SHARED/bin/consort" 2>/dev/null) in
	*nosuid*) skip "$SHARED is on a nosuid file system" ;;
	esac
	S=$T/logs
	mkdir "$S"
	chown root:"$CG" "$S"
	chmod 2775 "$S"
	DB=$S/progress.db
	PR="--project $P/proj.yaml --db $DB"
}
