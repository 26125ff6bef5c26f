/* GET /api/v1/audit: the audit log of the caller's jurisdiction, newest first, for admins. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "handlers.h"
#include "http.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200 };

/* Optional filters are "? IS NULL OR column = ?" pairs: one statement for every combination,
 * each value bound, and the id range keeps it a backward scan of the primary key. */
static const char AUDIT_PAGE[] =
    "SELECT id, DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), actor, actor_region, region, action,"
    " entity, entity_id, before_data, after_data, request_id, address FROM my_audit_log"
    " WHERE id < ? AND (? IS NULL OR entity = ?) AND (? IS NULL OR entity_id = ?)"
    " AND (? IS NULL OR actor = ?) ORDER BY id DESC LIMIT ?";

/* A stored JSON document as a value, or null. */
static json_t *document(struct db_stmt *st, int col)
{
    size_t len;
    const char *text = db_col_text(st, col, &len);
    return text ? json_loadb(text, len, 0, NULL) : json_null();
}

static json_t *entry_json(struct db_stmt *st)
{
    json_t *before = document(st, 8), *after = document(st, 9);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "id",
                     (json_int_t)db_col_int(st, 0), "at", db_col_text(st, 1, NULL), "actor",
                     db_col_text(st, 2, NULL), "actor_region", db_col_text(st, 3, NULL),
                     "region", db_col_text(st, 4, NULL), "action", db_col_text(st, 5, NULL),
                     "entity", db_col_text(st, 6, NULL), "entity_id", db_col_text(st, 7, NULL),
                     "before", before ? before : json_null(), "after",
                     after ? after : json_null(), "request_id", db_col_text(st, 10, NULL),
                     "address", db_col_text(st, 11, NULL));
}

static void bind_filter(struct db_stmt *st, const char *value)
{
    db_bind_str(st, value); /* NULL binds SQL NULL: the filter is off */
    db_bind_str(st, value);
}

int audit_list(struct request *req)
{
    long limit, before;
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) != 0 ||
        http_query_int(req, "cursor", 1, 9007199254740991L, 9007199254740991L, &before) != 0)
        return req->status;
    struct db_stmt *st = db_prepare(req->db, AUDIT_PAGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, before);
    bind_filter(st, http_query(req, "entity"));
    bind_filter(st, http_query(req, "entity_id"));
    bind_filter(st, http_query(req, "actor"));
    db_bind_int(st, limit + 1);
    return http_id_page(req, st, limit, entry_json);
}
