/* Rows of a statement as JSON and back. */
#include "column_json.h"

#include "db.h"
#include "json_out.h"

json_t *json_column_text(struct db_stmt *st, int col)
{
    const char *text = db_col_text(st, col, NULL);
    return text ? json_string(text) : json_null();
}

void json_out_column(struct json_out *o, const char *key, struct db_stmt *st, int col)
{
    size_t len;
    const char *text = db_col_text(st, col, &len);
    json_out_key(o, key);
    json_out_strn(o, text, len);
}

json_t *json_column_int(struct db_stmt *st, int col)
{
    return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

json_t *json_rows_of(struct db *db, const char *sql, long long id,
                     json_t *(*row)(struct db_stmt *st), int *rc)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) {
        *rc = db_failure(db);
        return NULL;
    }
    db_bind_int(st, id);
    if ((*rc = db_execute(st)) != DB_OK)
        return NULL;
    json_t *items = json_array();
    while ((*rc = db_fetch(st)) == DB_ROW)
        json_array_append_new(items, row(st));
    if (*rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

const char *json_member_text(const json_t *object, const char *name)
{
    return json_string_value(json_object_get(object, name));
}

long long json_member_int(const json_t *object, const char *name)
{
    return json_integer_value(json_object_get(object, name));
}
