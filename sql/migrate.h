/* Schema migrations: the SQL files of sql/migrations, compiled in and applied in order. */
#ifndef JICENG_MIGRATE_H
#define JICENG_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

struct db;

struct migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration migrations[];
extern const int migration_count;

/* The newest schema version this program knows. */
int migrate_known_version(void);

/* Reads the version recorded in the database into *version (0 for an empty database). Returns
 * a db_result. */
int migrate_current_version(struct db *db, int *version);

/* Applies every migration newer than the database's, in order, each recorded when it succeeds,
 * under a server-side lock so two hosts never migrate at once. Refuses a database newer than
 * this program. Reports each step on out. Returns 0, or -1 with the reason in err. */
int migrate_run(struct db *db, FILE *out, char *err, size_t errlen);

#endif
