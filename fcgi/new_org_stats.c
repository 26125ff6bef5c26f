/* GET /api/v1/new-organisations/statistics: how far the new organisations of a region are
 * covered, by child region: organisations, with a committee, with a liaison officer, uncovered,
 * the formation rate, links per linked executive member and visit compliance. Three grouped
 * statements over the region's subtree (the organisations from a covering index), whatever the
 * number of organisations; the JSON has one object per child region. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "new_orgs.h"
#include "region_code.h"
#include "session.h"

/* The region through the view (so one outside the jurisdiction is not found), then its
 * children from the table, as for GET /regions/{code}/children. */
static const char CHILDREN[] =
    "SELECT p.name, c.code, c.name FROM my_region p LEFT JOIN region c ON c.parent_code = p.code"
    " WHERE p.code = ? ORDER BY c.code";

/* ? is the length of a child's code. An organisation registered at the region itself has a
 * shorter code and groups under it. */
static const char ORGS_BY_CHILD[] =
    "SELECT LEFT(region, ?) AS child, COUNT(*), SUM(coverage = 'committee'),"
    " SUM(coverage = 'liaison_officer') FROM my_new_org WHERE region LIKE CONCAT(?, '%')"
    " GROUP BY child";

/* Current links; the second ? is this year's 1 January. The rollup row (child NULL) counts
 * the members linked anywhere in the subtree once each. */
static const char LINKS_BY_CHILD[] =
    "SELECT LEFT(l.region, ?) AS child, COUNT(*), COUNT(DISTINCT l.person_id),"
    " SUM((SELECT COUNT(*) FROM my_new_org_visit v WHERE v.link_id = l.id"
    " AND v.visited_on >= ?) >= 2)"
    " FROM my_new_org_link l WHERE l.end_date IS NULL AND l.region LIKE CONCAT(?, '%')"
    " GROUP BY child WITH ROLLUP";

struct counts {
    long long orgs, committees, liaison, links, members, visited;
};

/* part / whole to three decimals, or null when whole is 0. */
static json_t *ratio(long long part, long long whole)
{
    return whole ? json_real((double)((part * 1000 + whole / 2) / whole) / 1000.0) : json_null();
}

static json_t *counts_json(const char *code, const char *name, const struct counts *c)
{
    json_t *o = json_pack("{s:s, s:s?, s:I, s:I, s:I, s:I}", "region", code, "name", name,
                          "new_organisations", (json_int_t)c->orgs, "with_committee",
                          (json_int_t)c->committees, "with_liaison_officer",
                          (json_int_t)c->liaison, "uncovered",
                          (json_int_t)(c->orgs - c->committees - c->liaison));
    json_object_set_new(o, "formation_rate", ratio(c->committees, c->orgs));
    json_object_set_new(o, "coverage_rate", ratio(c->committees + c->liaison, c->orgs));
    json_object_set_new(o, "links", json_integer(c->links));
    json_object_set_new(o, "linked_executive_members", json_integer(c->members));
    json_object_set_new(o, "links_per_executive_member", ratio(c->links, c->members));
    json_object_set_new(o, "links_visited_enough", json_integer(c->visited));
    json_object_set_new(o, "visit_compliance", ratio(c->visited, c->links));
    return o;
}

struct stats {
    const char *region;
    int children;       /* how many child regions */
    char (*codes)[13];  /* theirs, in order, then the region's own code for "registered here" */
    const char **names;
    struct counts *counts; /* children + 1: the last is the region's own */
    long long linked_members; /* distinct over the whole subtree */
};

/* The slot of a grouped row's child code: a child, else the region's own (the last). */
static struct counts *slot(struct stats *s, const char *child)
{
    int lo = 0, hi = s->children - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, cmp = strcmp(s->codes[mid], child);
        if (cmp == 0)
            return &s->counts[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return &s->counts[s->children];
}

/* Reads the region's children: DB_OK, DB_DONE when the region is not in the jurisdiction, or
 * an error. Sets *name to the region's. */
static int load_children(struct request *req, struct stats *s, const char **name)
{
    struct db_stmt *st = db_prepare(req->db, CHILDREN);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, s->region);
    int rc = db_execute(st), n = 0, cap = 64;
    if (rc != DB_OK)
        return rc;
    s->codes = arena_alloc(req->arena, (size_t)cap * sizeof *s->codes);
    s->names = arena_alloc(req->arena, (size_t)cap * sizeof *s->names);
    while ((rc = db_fetch(st)) == DB_ROW) {
        *name = arena_strdup(req->arena, db_col_text(st, 0, NULL));
        if (db_col_null(st, 1))
            continue; /* a region without children */
        if (n == cap) {
            cap *= 2;
            char(*codes)[13] = arena_alloc(req->arena, (size_t)cap * sizeof *codes);
            const char **names = arena_alloc(req->arena, (size_t)cap * sizeof *names);
            memcpy(codes, s->codes, (size_t)n * sizeof *codes);
            memcpy(names, s->names, (size_t)n * sizeof *names);
            s->codes = codes, s->names = names;
        }
        snprintf(s->codes[n], sizeof s->codes[n], "%s", db_col_text(st, 1, NULL));
        s->names[n++] = arena_strdup(req->arena, db_col_text(st, 2, NULL));
    }
    if (rc != DB_DONE)
        return rc;
    if (!*name)
        return DB_DONE;
    s->children = n;
    s->counts = arena_zalloc(req->arena, (size_t)(n + 1) * sizeof *s->counts);
    return DB_OK;
}

/* Runs one grouped statement and adds its columns to the slots. links: LINKS_BY_CHILD. */
static int add_grouped(struct request *req, struct stats *s, bool links, int child_length)
{
    struct db_stmt *st = db_prepare(req->db, links ? LINKS_BY_CHILD : ORGS_BY_CHILD);
    if (!st)
        return db_failure(req->db);
    char since[11];
    date_today(since);
    memcpy(since + 4, "-01-01", 7);
    db_bind_int(st, child_length);
    if (links)
        db_bind_str(st, since);
    db_bind_str(st, s->region);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (db_col_null(st, 0)) {
            s->linked_members = db_col_int(st, 2);
            continue;
        }
        struct counts *c = slot(s, db_col_text(st, 0, NULL));
        if (links) {
            c->links += db_col_int(st, 1);
            c->members += db_col_int(st, 2);
            c->visited += db_col_int(st, 3);
        } else {
            c->orgs += db_col_int(st, 1);
            c->committees += db_col_int(st, 2);
            c->liaison += db_col_int(st, 3);
        }
    }
    return rc == DB_DONE ? DB_OK : rc;
}

int new_org_statistics_read(struct request *req, json_t **doc)
{
    struct stats s = {.region = new_org_subtree(req, new_org_param(req, "region"), "region")};
    if (!s.region)
        return req->status;
    enum region_level level = region_level_of(s.region);
    if (level == LEVEL_VILLAGE)
        return new_org_bad_param(req, "region", "a village has no child regions");
    int child_length = (int)region_code_length((enum region_level)(level + 1));
    const char *name = NULL;
    int rc = load_children(req, &s, &name);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "region", "no region %s in your jurisdiction",
                          s.region);
    if (rc == DB_OK)
        rc = add_grouped(req, &s, false, child_length);
    if (rc == DB_OK)
        rc = add_grouped(req, &s, true, child_length);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    struct counts total = {0};
    json_t *children = json_array();
    for (int i = 0; i <= s.children; i++) {
        struct counts *c = &s.counts[i];
        total.orgs += c->orgs, total.committees += c->committees, total.liaison += c->liaison;
        total.links += c->links, total.members += c->members, total.visited += c->visited;
        if (i < s.children)
            json_array_append_new(children, counts_json(s.codes[i], s.names[i], c));
    }
    /* A member linked in two child regions is one member of the whole. */
    total.members = s.linked_members;
    *doc = json_pack("{s:o, s:o, s:o}", "total", counts_json(s.region, name, &total),
                     "registered_here", counts_json(s.region, name, &s.counts[s.children]),
                     "children", children);
    return 0;
}

int new_org_statistics(struct request *req)
{
    json_t *doc;
    int status = new_org_statistics_read(req, &doc);
    return status ? status : http_json(req, 200, doc);
}
