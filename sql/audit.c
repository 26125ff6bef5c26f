/* Writing the audit log. Reading it is an admin endpoint of its own. */
#include "audit.h"

#include <stdlib.h>

#include "db.h"
#include "json_memory.h"

static const char INSERT_AUDIT[] =
    "INSERT INTO audit_log (at, actor, actor_region, region, action, entity, entity_id,"
    " before_data, after_data, request_id, address)"
    " VALUES (NOW(3), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
