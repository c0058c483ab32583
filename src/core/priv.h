/* priv: the setgid path. An installed consort may be setgid to a group of
 * its own that partners are not in, the only group that may write a shared
 * log (as crontab(1) and at(1) keep their spools). With that right consort
 * does one thing, for a command that may write (none: the dashboard): it
 * opens the log named by --db or CONSORT_DB (a path, nothing more; a
 * regular file, never created) and has SQLite open its
 * -wal and -shm (store_hold); then it gives the group up for good, before
 * it reads a definition, the locale or the terminal, parses YAML or writes
 * a file. Who writes is still getuid(). When consort is not setgid,
 * priv_start does nothing. */
#ifndef CONSORT_PRIV_H
#define CONSORT_PRIV_H

/* Call first in main. Exits (70) if the group cannot be given up. */
void priv_start(int argc, char **argv);

#endif
