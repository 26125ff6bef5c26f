/* Links of county executive members to new organisations' committees (挂钩联系) and their
 * visits: POST /api/v1/new-org-links, GET /api/v1/new-org-links/{id}, POST .../{id}/end,
 * POST .../{id}/visits, and the due list GET /api/v1/new-org-links/due. A member is linked to
 * at most three committees at a time and visits each at least twice a calendar year
 * (DOMAIN.md). Every write is one transaction with its audit entries. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "ending.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "new_orgs.h"
#include "organisation.h"
#include "session.h"

enum { MAX_LINKS = 3, VISITS_PER_YEAR = 2, DEFAULT_PAGE = 50, MAX_PAGE = 200 };

/* The counties whose federation the person is a current executive member of. */
static const char COUNTY_MEMBERSHIPS[] =
    "SELECT region FROM my_position WHERE person_id = ? AND current = 1"
    " AND role = 'executive_member' AND org_level = 3 AND org_kind = 'federation'";

/* A locking read: it sees the links committed by a request that held the person's lock before
 * this one, whatever this transaction read earlier. */
static const char CURRENT_LINKS[] =
    "SELECT COUNT(*) FROM my_new_org_link WHERE person_id = ? AND end_date IS NULL FOR UPDATE";

static const char INSERT_LINK[] =
    "INSERT INTO my_new_org_link (person_id, new_org_id, region, start_date) VALUES (?, ?, ?, ?)";

/* The person's name is null for a caller who may not see her record. ? is this year's 1 Jan. */
#define LINK_COLUMNS                                                                           \
    "SELECT l.id, l.person_id, p.name, l.new_org_id, n.name, l.region, l.start_date,"         \
    " l.end_date, l.version, (SELECT COUNT(*) FROM my_new_org_visit v"                        \
    " WHERE v.link_id = l.id AND v.visited_on >= ?)"                                          \
    " FROM my_new_org_link l JOIN my_new_org n ON n.id = l.new_org_id"                        \
    " LEFT JOIN my_person p ON p.id = l.person_id"
static const char LINK_ROW[] = LINK_COLUMNS " WHERE l.id = ?";
/* The link's row alone: locking the joined rows too could take them in another order than a
 * request that links the person does, and the two would deadlock. */
static const char LINK_LOCK[] = "SELECT id FROM my_new_org_link WHERE id = ? FOR UPDATE";

/* Current links with fewer than two visits this year, in (region, id) order under a subtree. */
static const char DUE_PAGE[] =
    LINK_COLUMNS " WHERE l.end_date IS NULL AND l.region LIKE CONCAT(?, '%')"
    " AND (l.region > ? OR (l.region = ? AND l.id > ?))"
    " AND (SELECT COUNT(*) FROM my_new_org_visit v"
    " WHERE v.link_id = l.id AND v.visited_on >= ?) < 2"
    " ORDER BY l.region, l.id LIMIT ?";

static const char END_LINK[] =
    "UPDATE my_new_org_link SET end_date = ?, version = version + 1, updated_at = NOW(3)"
    " WHERE id = ? AND version = ? AND end_date IS NULL";

static const char VISITS_OF[] =
    "SELECT id, visited_on, notes, recorded_by FROM my_new_org_visit WHERE link_id = ?"
    " ORDER BY visited_on DESC, id DESC";

static const char INSERT_VISIT[] =
    "INSERT INTO my_new_org_visit (link_id, region, visited_on, notes, recorded_by)"
    " VALUES (?, ?, ?, ?, ?)";

static const char VISIT_ROW[] =
    "SELECT id, link_id, region, visited_on, notes, recorded_by FROM my_new_org_visit"
    " WHERE id = ?";

/* ------------------------------------------------------------------------------------------ */
/* Reading links */

/* 1 January of this year, UTC. */
static void year_start(char out[11])
{
    date_today(out);
    memcpy(out + 4, "-01-01", 7);
}

static json_t *link_json(struct db_stmt *st)
{
    long long visits = db_col_int(st, 9);
    bool current = db_col_null(st, 7);
    return json_pack("{s:I, s:I, s:o, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:b}", "id",
                     (json_int_t)db_col_int(st, 0), "person_id", (json_int_t)db_col_int(st, 1),
                     "person_name", json_column_text(st, 2), "new_org_id",
                     (json_int_t)db_col_int(st, 3), "new_org_name", json_column_text(st, 4),
                     "region", json_column_text(st, 5), "start_date", json_column_text(st, 6),
                     "end_date", json_column_text(st, 7), "version",
                     (json_int_t)db_col_int(st, 8), "visits_this_year", (json_int_t)visits,
                     "visit_due", current && visits < VISITS_PER_YEAR);
}

/* The link id as the caller sees it, locked when lock. *rc as for new_org_row. */
static json_t *link_row(struct request *req, long long id, bool lock, int *rc)
{
    struct db_stmt *st;
    if (lock) {
        if (!(st = db_row_of(req->db, LINK_LOCK, id, rc)))
            return NULL;
        db_reset(st);
    }
    st = db_prepare(req->db, LINK_ROW);
    if (!st) {
        *rc = db_failure(req->db);
        return NULL;
    }
    char since[11];
    year_start(since);
    db_bind_str(st, since);
    db_bind_int(st, id);
    if ((*rc = db_execute_row(st)) != DB_ROW)
        return NULL;
    json_t *row = link_json(st);
    db_reset(st);
    return row;
}

static int link_not_found(struct request *req, long long id)
{
    return http_error(req, 404, NULL, "id", "no link %lld in your jurisdiction", id);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/new-org-links */

struct link {
    long long person_id, new_org_id, id;
    const char *start_date;
};

/* Whether the person is a current executive member of the federation of a county that holds
 * region: 0, or 422 with the answer set. */
static int check_member(struct request *req, long long person_id, const char *region)
{
    struct db_stmt *st = db_prepare(req->db, COUNTY_MEMBERSHIPS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, person_id);
    int rc = db_execute(st);
    bool member = false, here = false;
    if (rc == DB_OK)
        while ((rc = db_fetch(st)) == DB_ROW) {
            member = true;
            here = here || strncmp(region, db_col_text(st, 0, NULL), 6) == 0;
        }
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    if (!member)
        return http_error(req, 422, "not_executive_member", "person_id",
                          "person_id: must be a current executive member of a county federation");
    if (!here)
        return http_error(req, 422, "other_county", "new_org_id",
                          "new_org_id: lies outside the county of her federation");
    return 0;
}

/* Refuses a fourth current link of the person. The person's row is locked by the caller. */
static int check_link_count(struct request *req, long long person_id, const char *name)
{
    struct db_stmt *st = db_prepare(req->db, CURRENT_LINKS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, person_id);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) != DB_ROW)
        rc = DB_ERROR;
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    long long links = db_col_int(st, 0);
    db_reset(st);
    if (links >= MAX_LINKS)
        return http_error(req, 409, "link_limit", "person_id",
                          "%s is linked to %lld committees already; a county executive member "
                          "is linked to at most %d at a time (end a link first)",
                          name, links, MAX_LINKS);
    return 0;
}

static int link_step(struct request *req, void *data)
{
    struct link *l = data;
    int rc, status;
    /* The person's row first, locked: requests linking her wait here for each other, so the
     * count below is never read by two of them at once. */
    json_t *person = cadre_person_row(req, l->person_id, true, &rc);
    if (!person)
        return rc == DB_DONE ? http_error(req, 404, NULL, "person_id",
                                          "no cadre %lld in your jurisdiction", l->person_id)
                             : http_db_error(req, rc);
    const char *name = arena_strdup(req->arena, json_member_text(person, "name"));
    json_decref(person);
    json_t *org = new_org_row(req, l->new_org_id, true, true, &rc);
    if (!org)
        return rc == DB_DONE ? new_org_not_found(req, "new_org_id", l->new_org_id)
                             : http_db_error(req, rc);
    const char *region = arena_strdup(req->arena, json_member_text(org, "region"));
    const json_t *coverage = json_object_get(org, "coverage");
    const char *covered_on = json_member_text(coverage, "covered_on");
    if (strcmp(json_member_text(coverage, "state"), "committee") != 0)
        status = http_error(req, 422, "no_committee", "new_org_id",
                            "new_org_id: the organisation has no women's committee to link to");
    else if (covered_on && strcmp(l->start_date, covered_on) < 0)
        status = http_error(req, 422, "invalid", "start_date",
                            "start_date: must not be before the committee was set up (%s)",
                            covered_on);
    else
        status = check_member(req, l->person_id, region);
    json_decref(org);
    if (status != 0 || (status = check_link_count(req, l->person_id, name)) != 0)
        return status;
    struct db_stmt *st = db_prepare(req->db, INSERT_LINK);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, l->person_id);
    db_bind_int(st, l->new_org_id);
    db_bind_str(st, region);
    db_bind_str(st, l->start_date);
    if ((rc = db_execute(st)) == DB_DUPLICATE)
        return http_error(req, 409, "already_linked", "new_org_id",
                          "%s is linked to this committee already", name);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    l->id = db_insert_id(st);
    json_t *after = link_row(req, l->id, false, &rc);
    if (!after)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    rc = cadre_audit(req, region, "create", "new_org_link", l->id, NULL, after);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* Answers status with the link id and its visits, latest first. */
static int link_respond(struct request *req, int status, long long id)
{
    int rc;
    json_t *link = link_row(req, id, false, &rc);
    if (!link)
        return rc == DB_DONE ? link_not_found(req, id) : http_db_error(req, rc);
    struct db_stmt *st = db_prepare(req->db, VISITS_OF);
    if (!st) {
        json_decref(link);
        return http_db_error(req, db_failure(req->db));
    }
    db_bind_int(st, id);
    rc = db_execute(st);
    json_t *visits = json_array();
    if (rc == DB_OK)
        while ((rc = db_fetch(st)) == DB_ROW)
            json_array_append_new(visits, json_pack("{s:I, s:o, s:o, s:o}", "id",
                                                    (json_int_t)db_col_int(st, 0), "visited_on",
                                                    json_column_text(st, 1), "notes",
                                                    json_column_text(st, 2), "recorded_by",
                                                    json_column_text(st, 3)));
    json_object_set_new(link, "visits", visits);
    if (rc != DB_DONE) {
        json_decref(link);
        return http_db_error(req, rc);
    }
    if (status == 201)
        http_header(req, "Location", arena_printf(req->arena, "/api/v1/new-org-links/%lld", id));
    return http_json(req, status, link);
}

/* A date that must not lie in the future. */
static const char *past_date(struct fields *f, const char *name)
{
    const char *date = field_date(f, name, REQUIRED);
    char today[11];
    date_today(today);
    if (date && strcmp(date, today) > 0)
        field_fail(f, name, "invalid", "must not be in the future");
    return date;
}

int new_org_link_create(struct request *req)
{
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    struct link l = {0};
    l.person_id = field_int(&f, "person_id", 1, LLONG_MAX - 1, 0, REQUIRED);
    l.new_org_id = field_int(&f, "new_org_id", 1, LLONG_MAX - 1, 0, REQUIRED);
    l.start_date = past_date(&f, "start_date");
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, link_step, &l);
    return status ? status : link_respond(req, 201, l.id);
}

int new_org_link_get(struct request *req)
{
    long long id = cadre_path_id(req, "id");
    return id ? link_respond(req, 200, id) : req->status;
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/new-org-links/{id}/end */

int new_org_link_end(struct request *req)
{
    struct ending e = {.noun = "link", .entity = "new_org_link", .row = link_row,
                       .statement = END_LINK, .id = cadre_path_id(req, "id")};
    if (!e.id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    e.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    e.end_date = past_date(&f, "end_date");
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, ending_step, &e);
    return status ? status : link_respond(req, 200, e.id);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/new-org-links/{id}/visits */

struct visit {
    long long link_id, id;
    const char *visited_on, *notes;
};

static int visit_step(struct request *req, void *data)
{
    struct visit *v = data;
    int rc, status = 0;
    json_t *link = link_row(req, v->link_id, true, &rc);
    if (!link)
        return rc == DB_DONE ? link_not_found(req, v->link_id) : http_db_error(req, rc);
    const char *start = json_member_text(link, "start_date"), *end = json_member_text(link, "end_date");
    const char *region = arena_strdup(req->arena, json_member_text(link, "region"));
    if (strcmp(v->visited_on, start) < 0)
        status = http_error(req, 422, "invalid", "visited_on",
                            "visited_on: must not be before the link began (%s)", start);
    else if (end && strcmp(v->visited_on, end) > 0)
        status = http_error(req, 422, "invalid", "visited_on",
                            "visited_on: must not be after the link ended (%s)", end);
    json_decref(link);
    if (status != 0)
        return status;
    struct db_stmt *st = db_prepare(req->db, INSERT_VISIT);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, v->link_id);
    db_bind_str(st, region);
    db_bind_str(st, v->visited_on);
    db_bind_str(st, v->notes ? v->notes : "");
    db_bind_str(st, req->session->who.username);
    if ((rc = db_execute(st)) != DB_OK)
        return http_db_error(req, rc);
    v->id = db_insert_id(st);
    if (!(st = db_row_of(req->db, VISIT_ROW, v->id, &rc)))
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    json_t *after = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)v->id,
                              "link_id", (json_int_t)db_col_int(st, 1), "region",
                              json_column_text(st, 2), "visited_on", json_column_text(st, 3),
                              "notes", json_column_text(st, 4), "recorded_by",
                              json_column_text(st, 5));
    db_reset(st);
    rc = cadre_audit(req, region, "create", "new_org_visit", v->id, NULL, after);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

int new_org_visit_create(struct request *req)
{
    struct visit v = {.link_id = cadre_path_id(req, "id")};
    if (!v.link_id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    v.visited_on = past_date(&f, "visited_on");
    v.notes = field_text(&f, "notes", 0, 2000, OPTIONAL);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, visit_step, &v);
    return status ? status : link_respond(req, 201, v.link_id);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/new-org-links/due */

int new_org_links_due(struct request *req)
{
    const char *under = new_org_subtree(req, new_org_param(req, "under"), "under");
    if (!under)
        return req->status;
    long limit;
    char after_region[13] = "", since[11];
    long long after_id = 0;
    const char *cursor = new_org_param(req, "cursor");
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) != 0)
        return req->status;
    if (cursor && !org_cursor_parse(cursor, after_region, &after_id))
        return new_org_bad_param(req, "cursor", "must be the next_cursor of the previous page");
    struct db_stmt *st = db_prepare(req->db, DUE_PAGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    year_start(since);
    db_bind_str(st, since);
    db_bind_str(st, under);
    db_bind_str(st, after_region);
    db_bind_str(st, after_region);
    db_bind_int(st, after_id);
    db_bind_str(st, since);
    db_bind_int(st, limit + 1);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    json_t *items = json_array();
    const char *next = NULL;
    long count = 0;
    bool more = false;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (count == limit) {
            more = true;
            continue;
        }
        json_array_append_new(items, link_json(st));
        if (++count == limit)
            next = org_cursor(req->arena, db_col_text(st, 5, NULL), db_col_int(st, 0));
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return http_db_error(req, rc);
    }
    return http_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                         more ? json_string(next) : json_null()));
}
