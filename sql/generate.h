/* `jiceng generate`: deterministic organisations, cadres, positions and training records for
 * demos, tests and benchmarks. */
#ifndef JICENG_GENERATE_H
#define JICENG_GENERATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct db;

struct generate_options {
    const char *under; /* region code prefix (digits); NULL or "" for the whole table */
    long long seed;    /* the same seed and as_of give the same data */
    const char *as_of; /* "YYYY-MM-DD": the day terms and training are dated from; NULL: today */
    bool replace;      /* delete the data under the prefix first, instead of refusing */
};

/* Fills, for every region of the region table whose code starts with opt->under, one
 * organisation (a federation; for some villages a women's congress) with its current term,
 * its cadres as people with positions (some ended, with their successors linked), their
 * training records, and new economic and social organisations under the townships and
 * counties (about two million for the whole country, none covered yet). Everything is
 * computed inside MariaDB from the region codes, the seed and the date, so two runs with the
 * same options write the same rows (ids aside).
 *
 * Refuses (returns 1, the reason in err) when organisations or people exist under the prefix
 * already, unless opt->replace: then it deletes every organisation, person, position,
 * training record and new organisation (with its links and visits) under the prefix first.
 * The audit log keeps its rows and gets one entry for the run (actor "jiceng generate").
 *
 * progress (NULL for silence) gets the phases as they run (redrawn in place on a terminal) and
 * a table of rows and seconds per phase at the end.
 *
 * db must be the administrative account. One transaction: on any error nothing is written.
 * Returns 0, 1 when refused, or -1 with the reason in err. */
int generate(struct db *db, const struct generate_options *opt, FILE *progress, char *err,
             size_t errlen);

#endif
