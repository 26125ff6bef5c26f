/* GET /api/v1/oversight/reelections: what a city or county federation watches to see that the
 * re-elections below it happen "on time and by procedure" (DOMAIN.md), for a region of the
 * caller's jurisdiction and by each of its child regions: organisations due within 6 and 3
 * months, those overdue (their term ended and no result rolled it over), steps waiting longer
 * than waiting_days, re-elections done and how many of them on time; and the overdue
 * organisations themselves, the longest overdue first. .../export: the counts as CSV or XLSX. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "column_json.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "region_code.h"
#include "session.h"
#include "table_out.h"

enum { DEFAULT_WAITING_DAYS = 14, MAX_OVERDUE = 200, DEFAULT_OVERDUE = 50 };

static const char REGION_VISIBLE[] = "SELECT name FROM my_region WHERE code = ?";

/* Rows of a subtree counted by child region: LEFT(region, ?) is the child's code (a row of
 * the region itself keeps its own, shorter code).
 *
 * The organisations of a province or a city are summed from the counts migration 006 keeps
 * per county (a county's from those per township; a township's are counted): a province holds
 * too many to count at each request. Those due or overdue are one range of organisation_due
 * (next_due up to six months from today), a small part of them. Each statement takes the
 * parameters child length, subtree, then child length, today (4 times), subtree, today. */
#define DUE_COUNTS(organisations)                                                              \
    "SELECT g.child, r.name, g.organisations, g.due_6, g.due_3, g.overdue FROM"                \
    " (SELECT child, SUM(o) AS organisations, SUM(d6) AS due_6, SUM(d3) AS due_3,"             \
    " SUM(od) AS overdue FROM (" organisations                                                 \
    " UNION ALL SELECT LEFT(region, ?), 0, next_due >= ?,"                                     \
    " next_due >= ? AND next_due <= ? + INTERVAL 3 MONTH, next_due < ? FROM my_organisation"   \
    " WHERE region LIKE CONCAT(?, '%') AND next_due <= ? + INTERVAL 6 MONTH) u"                \
    " GROUP BY child) g LEFT JOIN my_region r ON r.code = g.child"
static const char DUE_COUNTS_BY_COUNTY[] = DUE_COUNTS(
    "SELECT LEFT(county, ?) AS child, n AS o, 0 AS d6, 0 AS d3, 0 AS od FROM my_stat_county"
    " WHERE county LIKE CONCAT(?, '%') AND metric LIKE 'org.%'");
static const char DUE_COUNTS_BY_TOWNSHIP[] = DUE_COUNTS(
    "SELECT LEFT(township, ?) AS child, n AS o, 0 AS d6, 0 AS d3, 0 AS od FROM my_stat_township"
    " WHERE township LIKE CONCAT(?, '%') AND metric LIKE 'org.%'");
static const char DUE_COUNTS_COUNTED[] = DUE_COUNTS(
    "SELECT LEFT(region, ?) AS child, 1 AS o, 0 AS d6, 0 AS d3, 0 AS od FROM my_organisation"
    " WHERE region LIKE CONCAT(?, '%')");

/* The requests of re-elections: a new organisation's coverage goes through the engine too, but
 * is no part of their oversight (the kept counts of migration 014 leave it out as well). */
#define REELECTION_KINDS " AND kind IN ('reelection_plan', 'reelection_result')"

/* Steps waiting longer than ? days. A county and below count their requests. */
static const char WAITING_COUNTED[] =
    "SELECT LEFT(region, ?) AS child, COUNT(*) FROM my_workflow_request"
    " WHERE region LIKE CONCAT(?, '%') AND state = 'in_progress'"
    " AND pending_since < NOW(3) - INTERVAL ? DAY" REELECTION_KINDS " GROUP BY child";

/* A province or a city sums the counts kept per county and day (migration 011) of the days
 * before the cut-off's, and counts the requests of the cut-off's day up to it. Parameters:
 * child length, subtree, days; child length, days, days, subtree. */
static const char WAITING_BY_COUNTY[] =
    "SELECT child, SUM(n) FROM (SELECT LEFT(county, ?) AS child, n"
    " FROM my_workflow_waiting_county WHERE county LIKE CONCAT(?, '%')"
    " AND since < DATE(NOW(3) - INTERVAL ? DAY)"
    " UNION ALL SELECT LEFT(region, ?), 1 FROM my_workflow_request"
    " WHERE pending_since >= DATE(NOW(3) - INTERVAL ? DAY)"
    " AND pending_since < NOW(3) - INTERVAL ? DAY AND region LIKE CONCAT(?, '%')"
    " AND state = 'in_progress'" REELECTION_KINDS ") t GROUP BY child";

static const char DONE_COUNTS[] =
    "SELECT LEFT(region, ?) AS child, COUNT(*), SUM(election_date <= due_on) FROM my_reelection"
    " WHERE region LIKE CONCAT(?, '%') AND stage = 'done' GROUP BY child";

static const char OVERDUE[] =
    "SELECT o.id, o.name, o.region, o.kind, o.next_due FROM my_organisation o"
    " WHERE o.next_due < ? AND o.region LIKE CONCAT(?, '%') ORDER BY o.next_due, o.id LIMIT ?";

static const char *const counters[] = {"organisations", "due_within_6_months",
                                       "due_within_3_months", "overdue", "steps_waiting_long",
                                       "reelections_done", "on_time"};
enum { COUNTERS = sizeof counters / sizeof counters[0] };

/* The counters of child in by (created zeroed when new). Borrowed. */
static json_t *child_of(json_t *by, const char *child)
{
    json_t *c = json_object_get(by, child);
    if (!c) {
        c = json_pack("{s:s, s:n}", "region", child, "name");
        for (int i = 0; i < COUNTERS; i++)
            json_object_set_new(c, counters[i], json_integer(0));
        json_object_set_new(by, child, c);
    }
    return c;
}

static void add(json_t *c, const char *counter, long long n)
{
    json_object_set_new(c, counter, json_integer(json_integer_value(json_object_get(c, counter)) + n));
}

struct window {
    const char *under;
    int child_length;
    char today[11];
    long waiting_days;
};

/* Runs sql (its parameters bound by bind) and adds columns 1.. of each row to the counters
 * first.. of its child. DB_OK or an error. */
static int count_into(struct request *req, json_t *by, const char *sql,
                      void (*bind)(struct db_stmt *, const struct window *),
                      const struct window *w, int first, int columns, int name_column)
{
    struct db_stmt *st = db_prepare(req->db, sql);
    if (!st)
        return db_failure(req->db);
    bind(st, w);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_fetch(st)) == DB_ROW) {
        json_t *c = child_of(by, db_col_text(st, 0, NULL));
        if (name_column > 0)
            json_object_set_new(c, "name", json_column_text(st, name_column));
        for (int i = 0; i < columns; i++)
            add(c, counters[first + i], db_col_int(st, name_column > 0 ? 2 + i : 1 + i));
    }
    return rc == DB_DONE ? DB_OK : rc;
}

static void bind_due(struct db_stmt *st, const struct window *w)
{
    db_bind_int(st, w->child_length);
    db_bind_str(st, w->under);
    db_bind_int(st, w->child_length);
    for (int i = 0; i < 4; i++)
        db_bind_str(st, w->today);
    db_bind_str(st, w->under);
    db_bind_str(st, w->today);
}

static void bind_waiting(struct db_stmt *st, const struct window *w)
{
    db_bind_int(st, w->child_length);
    db_bind_str(st, w->under);
    db_bind_int(st, w->waiting_days);
}

static void bind_waiting_by_county(struct db_stmt *st, const struct window *w)
{
    bind_waiting(st, w);
    db_bind_int(st, w->child_length);
    db_bind_int(st, w->waiting_days);
    db_bind_int(st, w->waiting_days);
    db_bind_str(st, w->under);
}

static void bind_done(struct db_stmt *st, const struct window *w)
{
    db_bind_int(st, w->child_length);
    db_bind_str(st, w->under);
}

static int by_code(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "region"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "region"));
    return strcmp(x, y);
}

/* The children's counters as an array by code, with the totals and the on-time rates. */
static json_t *summarise(json_t *by, json_t *totals)
{
    size_t n = json_object_size(by), i = 0;
    json_t **rows = calloc(n ? n : 1, sizeof *rows), *c;
    if (!rows)
        out_of_memory();
    const char *key;
    json_object_foreach(by, key, c) {
        rows[i++] = c;
        for (int k = 0; k < COUNTERS; k++)
            add(totals, counters[k], json_integer_value(json_object_get(c, counters[k])));
    }
    qsort(rows, n, sizeof *rows, by_code);
    json_t *list = json_array();
    for (i = 0; i < n; i++)
        json_array_append(list, rows[i]);
    free(rows);
    json_array_append(list, totals);
    json_array_foreach(list, i, c) {
        long long done = json_integer_value(json_object_get(c, "reelections_done"));
        json_object_set_new(c, "on_time_rate",
                            done ? json_real((double)json_integer_value(json_object_get(
                                                 c, "on_time")) / (double)done)
                                 : json_null());
    }
    json_array_remove(list, json_array_size(list) - 1);
    return list;
}

static json_t *overdue_list(struct request *req, const struct window *w, long limit, int *rc)
{
    struct db_stmt *st = db_prepare(req->db, OVERDUE);
    if (!st) {
        *rc = db_failure(req->db);
        return NULL;
    }
    db_bind_str(st, w->today);
    db_bind_str(st, w->under);
    db_bind_int(st, limit);
    if ((*rc = db_execute(st)) != DB_OK)
        return NULL;
    json_t *items = json_array();
    while ((*rc = db_fetch(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
                                               (json_int_t)db_col_int(st, 0), "name",
                                               json_column_text(st, 1), "region",
                                               json_column_text(st, 2), "kind",
                                               json_column_text(st, 3), "next_due",
                                               json_column_text(st, 4)));
    if (*rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    *rc = DB_OK;
    return items;
}

/* Reads the query: under (default the caller's region) and the windows. 0 or 400/404. */
static int window_read(struct request *req, struct window *w, long *limit, json_t **name)
{
    const char *under = http_query(req, "under");
    w->under = under && under[0] ? under : req->session->who.region;
    enum region_level level = region_level_of(w->under);
    if (level == LEVEL_NONE)
        return http_error(req, 400, "invalid_parameter", "under",
                          "under: a region code has 2, 4, 6, 9 or 12 digits");
    if (http_query_int(req, "waiting_days", 1, 3650, DEFAULT_WAITING_DAYS, &w->waiting_days) ||
        http_query_int(req, "limit", 1, MAX_OVERDUE, DEFAULT_OVERDUE, limit))
        return req->status;
    w->child_length = (int)region_code_length(level == LEVEL_VILLAGE ? level : level + 1);
    struct db_stmt *st = db_prepare(req->db, REGION_VISIBLE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, w->under);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        *name = json_column_text(st, 0);
        db_reset(st);
    }
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "under", "no region %s in your jurisdiction", w->under);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    date_today(w->today);
    return 0;
}

/* The oversight as JSON in *doc (new reference). Returns 0 or an error status with the answer
 * set. */
static int oversight_read(struct request *req, json_t **doc)
{
    struct window w = {0};
    long limit;
    json_t *name = NULL;
    if (window_read(req, &w, &limit, &name) != 0)
        return req->status;
    json_t *by = json_object(), *overdue = NULL;
    /* A province's and a city's children are counties or cities, a county's townships. */
    enum region_level level = region_level_of(w.under);
    bool by_county = level == LEVEL_PROVINCE || level == LEVEL_CITY;
    const char *due = by_county              ? DUE_COUNTS_BY_COUNTY
                      : level == LEVEL_COUNTY ? DUE_COUNTS_BY_TOWNSHIP
                                              : DUE_COUNTS_COUNTED;
    int rc = count_into(req, by, due, bind_due, &w, 0, 4, 1);
    if (rc == DB_OK)
        rc = by_county ? count_into(req, by, WAITING_BY_COUNTY, bind_waiting_by_county, &w, 4, 1, 0)
                       : count_into(req, by, WAITING_COUNTED, bind_waiting, &w, 4, 1, 0);
    if (rc == DB_OK)
        rc = count_into(req, by, DONE_COUNTS, bind_done, &w, 5, 2, 0);
    if (rc == DB_OK)
        overdue = overdue_list(req, &w, limit, &rc);
    if (rc != DB_OK) {
        json_decref(by);
        json_decref(name);
        return http_db_error(req, rc);
    }
    json_t *totals = json_pack("{s:s, s:o}", "region", w.under, "name", name);
    for (int i = 0; i < COUNTERS; i++)
        json_object_set_new(totals, counters[i], json_integer(0));
    json_t *children = summarise(by, totals);
    json_decref(by);
    *doc = json_pack("{s:s, s:I, s:o, s:o, s:o}", "as_of", w.today, "waiting_days",
                     (json_int_t)w.waiting_days, "totals", totals, "by_region", children,
                     "overdue", overdue);
    return 0;
}

int oversight_reelections(struct request *req)
{
    json_t *doc;
    int status = oversight_read(req, &doc);
    return status ? status : http_json(req, 200, doc);
}

/* ------------------------------------------------------------------------------------------ */
/* The same counts as a table to file or print: a row per child region, then the total. */

static const char *const table_titles[] = {
    "区划代码", "区划", "组织数", "6个月内到期", "3个月内到期", "已逾期",
    "久未办理的环节", "已换届", "其中按期", "按期换届率",
};

static void table_row(struct table_out *t, json_t *counts, const char *name)
{
    table_text(t, json_string_value(json_object_get(counts, "region")));
    table_text(t, name ? name : json_string_value(json_object_get(counts, "name")));
    for (int i = 0; i < COUNTERS; i++)
        table_number(t, json_integer_value(json_object_get(counts, counters[i])));
    json_t *rate = json_object_get(counts, "on_time_rate");
    char percent[16];
    snprintf(percent, sizeof percent, "%.1f%%", json_real_value(rate) * 100);
    table_text(t, json_is_real(rate) ? percent : NULL);
}

int oversight_reelections_export(struct request *req)
{
    enum table_format format;
    json_t *doc;
    if (table_format_read(req, &format) != 0 || oversight_read(req, &doc) != 0)
        return req->status;
    http_json(req, 200, doc); /* held for the request; the table answers instead */
    json_t *totals = json_object_get(doc, "totals"), *row;
    const char *code = json_string_value(json_object_get(totals, "region"));
    const char *date = json_string_value(json_object_get(doc, "as_of"));
    struct table_out *t =
        table_open(req, format, "换届督查", arena_printf(req->arena, "换届督查-%s-%s", code, date),
                   arena_printf(req->arena, "reelections-%s-%s", code, date), table_titles,
                   (int)(sizeof table_titles / sizeof table_titles[0]));
    if (!t)
        return req->status;
    size_t i;
    bool gone = false;
    json_array_foreach(json_object_get(doc, "by_region"), i, row)
        if (!gone) {
            table_row(t, row, NULL);
            gone = table_end_row(t) != 0;
        }
    if (!gone) {
        table_row(t, totals, "合计");
        gone = table_end_row(t) != 0;
    }
    if (!gone && table_finish(t) != 0 && !table_started(t))
        return http_error(req, 500, NULL, NULL, "the spreadsheet could not be sent");
    return req->status;
}
