/* GET /api/v1/regions/{code} and its children: the national division table. */
#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "column_json.h"
#include "db.h"
#include "handlers.h"
#include "http.h"
#include "json_out.h"
#include "region_code.h"

/* A region and its ancestors in one round trip: the code's prefixes at each level above it,
 * with the code itself repeated for the levels below. Only what lies in the caller's
 * jurisdiction comes back: ancestors above it are left out, and a region outside it is not
 * found. */
static const char REGION_WITH_ANCESTORS[] =
    "SELECT code, name, level, parent_code, child_count FROM my_region"
    " WHERE code IN (?, ?, ?, ?, ?) ORDER BY code";

/* The jurisdiction is the view's, on the parent: the children of a region the caller may see
 * lie under it by their codes, so they come from the table itself, without the view's check
 * once per row. An inner join read from the children's index in its order, with the parent a
 * constant row: no temporary table and no sort (the LEFT JOIN that also told an unknown parent
 * from one without children sorted every page, and cost twice the CPU in MariaDB). The index
 * holds every column a child needs (migration 018): no lookup in the table per child. */
static const char CHILDREN_PAGE[] =
    "SELECT p.code, p.name, p.level, c.code, c.name, c.level, c.child_count"
    " FROM region c JOIN my_region p ON p.code = c.parent_code"
    " WHERE c.parent_code = ? AND c.code > ? ORDER BY c.code LIMIT ?";

/* Only for an empty page: a region without (further) children, or none the caller may see. */
static const char REGION_ITSELF[] = "SELECT code, name, level FROM my_region WHERE code = ?";

enum { DEFAULT_PAGE = 50, MAX_PAGE = 500 };

/* The {code} of the path, checked; NULL with the 400 response set. */
static const char *code_param(struct request *req)
{
    const char *code = http_path_param(req, "code");
    if (region_level_of(code) == LEVEL_NONE) {
        http_error(req, 400, "invalid_parameter", "code",
                   "a region code has 2, 4, 6, 9 or 12 digits");
        return NULL;
    }
    return code;
}

static json_t *region_json(struct db_stmt *st, int first)
{
    long long level = db_col_int(st, first + 2);
    return json_pack("{s:s, s:s, s:s}", "code", db_col_text(st, first, NULL), "name",
                     db_col_text(st, first + 1, NULL), "level",
                     region_level_name((enum region_level)level));
}

int region_get(struct request *req)
{
    const char *code = code_param(req);
    if (!code)
        return req->status;
    struct db_stmt *st = db_prepare(req->db, REGION_WITH_ANCESTORS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    enum region_level level = region_level_of(code);
    for (int l = LEVEL_PROVINCE; l <= LEVEL_VILLAGE; l++) {
        size_t len = l <= (int)level ? region_code_length((enum region_level)l) : strlen(code);
        db_bind_text(st, code, len);
    }
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    json_t *ancestors = json_array(), *region = NULL;
    while ((rc = db_fetch(st)) == DB_ROW) {
        json_t *row = region_json(st, 0);
        if (strcmp(db_col_text(st, 0, NULL), code) != 0) {
            json_array_append_new(ancestors, row);
            continue;
        }
        json_object_set_new(row, "parent_code", json_column_text(st, 3));
        json_object_set_new(row, "child_count", json_integer(db_col_int(st, 4)));
        region = row;
    }
    if (rc != DB_DONE || !region) {
        json_decref(ancestors);
        json_decref(region);
        return rc != DB_DONE ? http_db_error(req, rc)
                             : http_error(req, 404, NULL, "code", "no region has code %s", code);
    }
    json_object_set_new(region, "ancestors", ancestors);
    return http_json(req, 200, region);
}

/* Begins a region's JSON object with its code, name and level, from the three columns at
 * first; the caller adds what else it has and ends the object. */
static void region_out(struct json_out *o, struct db_stmt *st, int first)
{
    json_out_begin_object(o);
    json_out_column(o, "code", st, first);
    json_out_column(o, "name", st, first + 1);
    json_out_key(o, "level");
    json_out_str(o, region_level_name((enum region_level)db_col_int(st, first + 2)));
}

/* The region of an empty children page, through the view, written to o; *found stays false
 * when the caller may not see it. Returns DB_DONE, or the database's error. */
static int region_itself(struct request *req, const char *code, struct json_out *o, bool *found)
{
    struct db_stmt *st = db_prepare(req->db, REGION_ITSELF);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, code);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_fetch(st)) == DB_ROW) {
        region_out(o, st, 0);
        json_out_end_object(o);
        *found = true;
    }
    return rc;
}

/* The children page is written as text while its rows arrive (fcgi/json_out.h): the parent's
 * columns in the first row give the region, which is written before the items. */
int region_children(struct request *req)
{
    const char *code = code_param(req);
    if (!code)
        return req->status;
    long limit;
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) != 0)
        return req->status;
    const char *cursor = http_query(req, "cursor");
    if (cursor && region_level_of(cursor) == LEVEL_NONE)
        return http_error(req, 400, "invalid_parameter", "cursor",
                          "cursor must be the next_cursor of the previous page");

    struct db_stmt *st = db_prepare(req->db, CHILDREN_PAGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, code);
    db_bind_str(st, cursor ? cursor : "");
    db_bind_int(st, limit + 1); /* one more tells whether another page follows */
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);

    struct json_out page, items;
    json_out_init(&page, req->arena);
    json_out_init(&items, req->arena);
    json_out_begin_object(&page);
    json_out_key(&page, "region");
    json_out_begin_array(&items);
    const char *last = NULL;
    long count = 0;
    bool found = false, more = false;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (!found) {
            region_out(&page, st, 0);
            json_out_end_object(&page);
            found = true;
        }
        if (count == limit) {
            more = true;
            continue;
        }
        region_out(&items, st, 3);
        json_out_key(&items, "child_count");
        json_out_int(&items, db_col_int(st, 6));
        json_out_end_object(&items);
        last = arena_strdup(req->arena, db_col_text(st, 3, NULL));
        count++;
    }
    if (rc == DB_DONE && !found)
        rc = region_itself(req, code, &page, &found);
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    if (!found)
        return http_error(req, 404, NULL, "code", "no region has code %s", code);
    json_out_end_array(&items);
    json_out_key(&page, "items");
    json_out_value_of(&page, &items);
    json_out_key(&page, "next_cursor");
    json_out_str(&page, more ? last : NULL);
    json_out_end_object(&page);
    return http_json_text(req, 200, &page);
}
