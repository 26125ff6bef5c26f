/* Writing the audit log. Reading it is an admin endpoint of its own. */
#include "audit.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "json_memory.h"

#define AUDIT_INSERT                                                                           \
    "INSERT INTO audit_log (at, actor, actor_region, region, action, entity, entity_id,"      \
    " before_data, after_data, request_id, address) VALUES "
#define AUDIT_ROW "(NOW(3), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define AUDIT_ROWS_10                                                                          \
    AUDIT_ROW "," AUDIT_ROW "," AUDIT_ROW "," AUDIT_ROW "," AUDIT_ROW "," AUDIT_ROW ","         \
    AUDIT_ROW "," AUDIT_ROW "," AUDIT_ROW "," AUDIT_ROW

static const char INSERT_AUDIT[] = AUDIT_INSERT AUDIT_ROW;
/* A full batch: 10 x 10 rows. */
static const char INSERT_AUDIT_BATCH[] =
    AUDIT_INSERT AUDIT_ROWS_10 "," AUDIT_ROWS_10 "," AUDIT_ROWS_10 "," AUDIT_ROWS_10 ","
    AUDIT_ROWS_10 "," AUDIT_ROWS_10 "," AUDIT_ROWS_10 "," AUDIT_ROWS_10 "," AUDIT_ROWS_10 ","
    AUDIT_ROWS_10;
enum { BATCH = 100, COLUMNS = 10 };

static char *dump(const json_t *value)
{
    return value ? json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int audit_write(struct db *db, const struct audit_entry *e)
{
    struct db_stmt *st = db_prepare(db, INSERT_AUDIT);
    if (!st)
        return db_failure(db);
    char *before = dump(e->before), *after = dump(e->after);
    db_bind_str(st, e->actor);
    db_bind_str(st, e->actor_region ? e->actor_region : "");
    db_bind_str(st, e->region);
    db_bind_str(st, e->action);
    db_bind_str(st, e->entity);
    db_bind_str(st, e->entity_id);
    db_bind_str(st, before); /* NULL binds SQL NULL */
    db_bind_str(st, after);
    db_bind_str(st, e->request_id ? e->request_id : "");
    db_bind_str(st, e->address ? e->address : "");
    int rc = db_execute(st);
    json_memory_free(before);
    json_memory_free(after);
    return rc;
}

/* An entry's values as copies, in the column order of INSERT_AUDIT. */
struct copied_entry {
    char *value[COLUMNS];
};

struct audit_batch {
    struct copied_entry entries[BATCH];
    int count;
};

static char *copy(const char *s)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        abort(); /* out of memory: fatal, as everywhere */
    return c;
}

struct audit_batch *audit_batch_new(void)
{
    struct audit_batch *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    return b;
}

static void clear(struct audit_batch *b)
{
    for (int i = 0; i < b->count; i++)
        for (int j = 0; j < COLUMNS; j++)
            free(b->entries[i].value[j]);
    b->count = 0;
}

static void bind_entry(struct db_stmt *st, const struct copied_entry *e)
{
    for (int j = 0; j < COLUMNS; j++)
        db_bind_str(st, e->value[j]);
}

int audit_batch_flush(struct db *db, struct audit_batch *b)
{
    int rc = DB_OK;
    if (b->count == BATCH) {
        struct db_stmt *st = db_prepare(db, INSERT_AUDIT_BATCH);
        if (!st)
            return db_failure(db);
        for (int i = 0; i < BATCH; i++)
            bind_entry(st, &b->entries[i]);
        rc = db_execute(st);
    } else {
        for (int i = 0; i < b->count && rc == DB_OK; i++) {
            struct db_stmt *st = db_prepare(db, INSERT_AUDIT);
            if (!st)
                return db_failure(db);
            bind_entry(st, &b->entries[i]);
            rc = db_execute(st);
        }
    }
    clear(b);
    return rc;
}

int audit_batch_add(struct db *db, struct audit_batch *b, const struct audit_entry *e)
{
    struct copied_entry *c = &b->entries[b->count++];
    c->value[0] = copy(e->actor);
    c->value[1] = copy(e->actor_region ? e->actor_region : "");
    c->value[2] = copy(e->region);
    c->value[3] = copy(e->action);
    c->value[4] = copy(e->entity);
    c->value[5] = copy(e->entity_id);
    c->value[6] = dump(e->before);
    c->value[7] = dump(e->after);
    c->value[8] = copy(e->request_id ? e->request_id : "");
    c->value[9] = copy(e->address ? e->address : "");
    return b->count == BATCH ? audit_batch_flush(db, b) : DB_OK;
}

void audit_batch_free(struct audit_batch *b)
{
    if (!b)
        return;
    clear(b);
    free(b);
}
