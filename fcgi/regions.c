/* GET /api/v1/regions/{code} and its children: the national division table. */
#include <stdbool.h>
#include <stdlib.h>
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

/* The region through the view, so one outside the jurisdiction is not found, with its list of
 * children (migration 019): one row by primary key. */
static const char REGION_AND_CHILDREN[] =
    "SELECT code, name, level, children FROM my_region WHERE code = ?";

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

/* One line of a list of children: code, level, number of children and name, tab-separated. */
struct child {
    const char *code, *name;
    size_t code_len, name_len;
    int level;
    long long child_count;
};

/* Reads the line at *p into c and moves *p past it; false at the end of the list. A line
 * without its four fields, which the import never writes, ends the list too. */
static bool next_child(const char **p, struct child *c)
{
    const char *line = *p;
    if (!line || !*line)
        return false;
    const char *end = line + strcspn(line, "\n"), *field[4] = {line};
    for (int i = 1; i < 4; i++) {
        const char *tab = memchr(field[i - 1], '\t', (size_t)(end - field[i - 1]));
        if (!tab)
            return false;
        field[i] = tab + 1;
    }
    c->code = line;
    c->code_len = (size_t)(field[1] - 1 - line);
    c->level = atoi(field[1]);
    c->child_count = strtoll(field[2], NULL, 10);
    c->name = field[3];
    c->name_len = (size_t)(end - field[3]);
    *p = *end ? end + 1 : end;
    return true;
}

/* Whether the child's code sorts after the cursor, as codes compare in ascii_bin. */
static bool after(const struct child *c, const char *cursor)
{
    size_t n = strlen(cursor);
    int cmp = memcmp(c->code, cursor, c->code_len < n ? c->code_len : n);
    return cmp > 0 || (cmp == 0 && c->code_len > n);
}

static void child_out(struct json_out *o, const struct child *c)
{
    json_out_begin_object(o);
    json_out_key(o, "code");
    json_out_strn(o, c->code, c->code_len);
    json_out_key(o, "name");
    json_out_strn(o, c->name, c->name_len);
    json_out_key(o, "level");
    json_out_str(o, region_level_name((enum region_level)c->level));
    json_out_key(o, "child_count");
    json_out_int(o, c->child_count);
    json_out_end_object(o);
}

/* Writes the page of the children after cursor (all with NULL) in list, at most limit of them,
 * with the cursor of the next page. */
static void children_out(struct json_out *o, const char *list, const char *cursor, long limit)
{
    struct child c;
    const char *last = NULL;
    size_t last_len = 0;
    long count = 0;
    bool more = false;
    json_out_key(o, "items");
    json_out_begin_array(o);
    while (next_child(&list, &c)) {
        if (cursor && !after(&c, cursor))
            continue;
        if (count == limit) {
            more = true;
            break;
        }
        child_out(o, &c);
        last = c.code, last_len = c.code_len;
        count++;
    }
    json_out_end_array(o);
    json_out_key(o, "next_cursor");
    if (more)
        json_out_strn(o, last, last_len);
    else
        json_out_null(o);
}

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

    struct db_stmt *st = db_prepare(req->db, REGION_AND_CHILDREN);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, code);
    int rc = db_execute_row(st);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "code", "no region has code %s", code);
    if (rc != DB_ROW)
        return http_db_error(req, rc);

    struct json_out page;
    json_out_init(&page, req->arena);
    json_out_begin_object(&page);
    json_out_key(&page, "region");
    region_out(&page, st, 0);
    json_out_end_object(&page);
    children_out(&page, db_col_text(st, 3, NULL), cursor, limit);
    json_out_end_object(&page);
    return http_json_text(req, 200, &page);
}
