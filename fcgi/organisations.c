/* The organisations of the caller's jurisdiction: GET and POST /api/v1/organisations, GET and
 * PATCH /api/v1/organisations/{id}. Every statement reads and writes the my_* views, so an
 * organisation outside the jurisdiction is simply not found (404), and nothing here binds the
 * caller's region. Every write is one transaction together with its audit entry. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "column_json.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "json_out.h"
#include "organisation.h"
#include "session.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200 };

/* A page of the subtree under a region (by default all of the caller's view), in (region, id)
 * order from the cursor on: one range scan of organisation_subtree that stops after the page,
 * the optional filters as "? IS NULL OR ..." pairs. One more row, with a NULL id, says whether
 * the caller may see the region `under`, so an invisible one is told from an empty page in the
 * same round trip. (A LEFT JOIN from the region would do that too, but then MariaDB sorts the
 * whole subtree instead of reading the index in order.) */
static const char ORG_PAGE[] =
    "(SELECT NULL AS visible, " ORG_COLUMNS
    " FROM my_organisation o LEFT JOIN my_region r ON r.code = o.region"
    " WHERE o.region LIKE CONCAT(?, '%') AND (o.region > ? OR (o.region = ? AND o.id > ?))"
    " AND (? IS NULL OR o.kind = ?) AND (? IS NULL OR o.level = ?)"
    " AND (? IS NULL OR o.next_due < ?)"
    " ORDER BY o.region, o.id LIMIT ?)"
    " UNION ALL (SELECT COUNT(*), " ORG_NO_COLUMNS " FROM my_region WHERE code = ?)"
    " ORDER BY region, id";

static const char ORG_BY_ID[] =
    "SELECT " ORG_COLUMNS
    " FROM my_organisation o LEFT JOIN my_region r ON r.code = o.region WHERE o.id = ?";

/* An organisation with its office holders in one round trip: a row per holder with the
 * organisation's columns repeated (tens of rows), or one row with NULL holder columns when it
 * has none; no row when the organisation is not in the jurisdiction. The positions come from
 * position_organisation, each person by primary key. The rows come unsorted: their order is
 * made in C (office_holders_sort), since sorting the rows of the outer join took MariaDB a
 * temporary table. */
static const char ORG_WITH_HOLDERS[] =
    "SELECT " ORG_COLUMNS ", " OFFICE_HOLDER_COLUMNS
    " FROM my_organisation o LEFT JOIN my_region r ON r.code = o.region"
    " LEFT JOIN my_position p ON p.organisation_id = o.id"
    " LEFT JOIN my_person pe ON pe.id = p.person_id"
    " WHERE o.id = ?";
/* Where the holder's columns start in a row of ORG_WITH_HOLDERS: after the 14 of ORG_COLUMNS. */
enum { HOLDER_COLUMN = 14 };

static const char REGION_VISIBLE[] = "SELECT level FROM my_region WHERE code = ?";

static const char INSERT_ORG[] =
    "INSERT INTO my_organisation (region, level, kind, host_kind, name, converted_on,"
    " term_start, term_years, village_committee_election) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char UPDATE_ORG[] =
    "UPDATE my_organisation SET kind = ?, name = ?, converted_on = ?, term_start = ?,"
    " term_years = ?, village_committee_election = ?, version = version + 1,"
    " updated_at = NOW(3) WHERE id = ? AND version = ?";

/* ------------------------------------------------------------------------------------------ */
/* Reading */

/* A query parameter, NULL when absent or empty (a form sends "kind=" for "any kind"). */
static const char *param(const struct request *req, const char *name)
{
    const char *value = http_query(req, name);
    return value && value[0] ? value : NULL;
}

static int bad_param(struct request *req, const char *name, const char *why)
{
    return http_error(req, 400, "invalid_parameter", name, "%s: %s", name, why);
}

int org_list_read(struct request *req, struct org_list_query *q)
{
    *q = (struct org_list_query){.under = param(req, "under"), .kind = param(req, "kind"),
                             .due_before = param(req, "due_before")};
    const char *level = param(req, "level"), *cursor = param(req, "cursor");
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &q->limit) != 0)
        return req->status;
    if (q->under && region_level_of(q->under) == LEVEL_NONE)
        return bad_param(req, "under", "a region code has 2, 4, 6, 9 or 12 digits");
    if (q->kind && org_name_index(org_kinds, q->kind) < 0)
        return bad_param(req, "kind", "must be federation, womens_congress or womens_committee");
    if (level && (q->level = org_name_index(org_levels, level) + 1) == 0)
        return bad_param(req, "level", "must be province, city, county, township or village");
    if (q->due_before && !date_valid(q->due_before))
        return bad_param(req, "due_before", "must be a date YYYY-MM-DD");
    if (cursor && !org_cursor_parse(cursor, q->after_region, &q->after_id))
        return bad_param(req, "cursor", "must be the next_cursor of the previous page");
    return 0;
}

static void bind_filter(struct db_stmt *st, const char *value)
{
    db_bind_str(st, value); /* NULL binds SQL NULL: the filter is off */
    db_bind_str(st, value);
}

int org_list_execute(struct request *req, const struct org_list_query *q, struct db_stmt **out)
{
    struct db_stmt *st = *out = db_prepare(req->db, ORG_PAGE);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, q->under ? q->under : "");
    db_bind_str(st, q->after_region);
    db_bind_str(st, q->after_region);
    db_bind_int(st, q->after_id);
    bind_filter(st, q->kind);
    if (q->level) {
        db_bind_int(st, q->level);
        db_bind_int(st, q->level);
    } else {
        db_bind_null(st);
        db_bind_null(st);
    }
    bind_filter(st, q->due_before);
    db_bind_int(st, q->limit + 1); /* one more tells whether another page follows */
    db_bind_str(st, q->under);
    return db_execute(st);
}

int organisations_list(struct request *req)
{
    struct org_list_query q;
    if (org_list_read(req, &q) != 0)
        return req->status;
    struct db_stmt *st;
    int rc = org_list_execute(req, &q, &st);
    if (rc != DB_OK)
        return http_db_error(req, rc);

    struct json_out o;
    json_out_init(&o, req->arena);
    json_out_begin_object(&o);
    json_out_key(&o, "items");
    json_out_begin_array(&o);
    const char *next = NULL;
    bool visible = !q.under, more = false;
    long count = 0;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (db_col_null(st, 1)) {
            visible = visible || db_col_int(st, 0) > 0; /* the row about `under` */
            continue;
        }
        if (count == q.limit) {
            more = true;
            continue;
        }
        org_out(&o, st, 1);
        if (++count == q.limit)
            next = org_cursor(req->arena, db_col_text(st, 2, NULL), db_col_int(st, 1));
    }
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    if (!visible)
        return http_error(req, 404, NULL, "under", "no region %s in your jurisdiction", q.under);
    json_out_end_array(&o);
    json_out_key(&o, "next_cursor");
    json_out_str(&o, more ? next : NULL);
    json_out_end_object(&o);
    return http_json_text(req, 200, &o);
}

/* The {id} of the path: 0 when it is no id, with 404 set (no organisation has it). */
static long long id_param(struct request *req)
{
    const char *text = http_path_param(req, "id");
    char *end = NULL;
    long long id = text[0] >= '1' && text[0] <= '9' ? strtoll(text, &end, 10) : 0;
    if (id <= 0 || *end || id == LLONG_MAX) {
        http_error(req, 404, NULL, "id", "no organisation has id %.30s", text);
        return 0;
    }
    return id;
}

int org_read(struct request *req, long long id, json_t **out)
{
    *out = NULL;
    struct db_stmt *st = db_prepare(req->db, ORG_BY_ID);
    if (!st)
        return db_failure(req->db);
    db_bind_int(st, id);
    int rc = db_execute_row(st);
    if (rc == DB_ROW) {
        *out = org_json(req->arena, st, 0);
        db_reset(st);
    }
    return rc;
}

/* The holders of the rows of ORG_WITH_HOLDERS still to fetch, after the first (its holder in
 * *first), into arena memory: *holders and *n. DB_DONE at the end, or an error. */
static int read_holders(struct request *req, struct db_stmt *st, const struct office_holder *first,
                        struct office_holder **holders, size_t *n)
{
    size_t cap = 40; /* the most holders an organisation usually has: in the arena's chunk */
    struct office_holder *all = arena_alloc(req->arena, cap * sizeof *all);
    all[0] = *first;
    *n = 1;
    int rc;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (*n == cap) {
            struct office_holder *more = arena_alloc(req->arena, 2 * cap * sizeof *more);
            memcpy(more, all, cap * sizeof *all);
            all = more;
            cap *= 2;
        }
        office_holder_read(req->arena, st, HOLDER_COLUMN, &all[(*n)++]);
    }
    *holders = all;
    return rc;
}

/* The organisation is written straight from the rows as JSON text: built as a json_t tree, its
 * few dozen holders cost jiceng more CPU than MariaDB spent finding them. */
int organisation_get(struct request *req)
{
    long long id = id_param(req);
    if (!id)
        return req->status;
    struct db_stmt *st = db_prepare(req->db, ORG_WITH_HOLDERS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, id);
    int rc = db_execute_row(st);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "id", "no organisation %lld in your jurisdiction", id);
    if (rc != DB_ROW)
        return http_db_error(req, rc);

    struct json_out o;
    json_out_init(&o, req->arena);
    json_out_begin_object(&o);
    org_out_members(&o, st, 0);
    struct office_holder *holders = NULL;
    size_t n = 0;
    if (!db_col_null(st, HOLDER_COLUMN)) { /* NULL: no holders, the only row */
        struct office_holder first;
        office_holder_read(req->arena, st, HOLDER_COLUMN, &first);
        rc = read_holders(req, st, &first, &holders, &n);
        if (rc != DB_DONE)
            return http_db_error(req, rc);
        office_holders_sort(holders, n);
        link_successors(holders, n);
    } else {
        db_reset(st);
    }
    json_out_key(&o, "office_holders");
    office_holders_out(&o, holders, n);
    json_out_end_object(&o);
    return http_json_text(req, 200, &o);
}

/* ------------------------------------------------------------------------------------------ */
/* Writing */

/* The table's CHECK constraints hold the same rules, as a last line. */
void org_values_check(struct fields *f, const struct org_values *v)
{
    if (f->failed)
        return;
    const char *refused = org_kind_refused((enum org_kind)v->kind, v->level);
    if (refused)
        field_fail(f, "kind", "invalid", "%s", refused);
    else if (v->kind == KIND_COMMITTEE && !v->host_kind)
        field_fail(f, "host_kind", "required",
                   "a women's committee needs its host: agency, institution, enterprise or "
                   "social_org");
    else if (v->kind != KIND_COMMITTEE && v->host_kind)
        field_fail(f, "host_kind", "invalid", "only a women's committee has a host");
    else if (v->term_start && !v->term_years)
        field_fail(f, "term_years", "required", "a term has a start and a length, both or neither");
    else if (!v->term_start && v->term_years)
        field_fail(f, "term_start", "required", "a term has a start and a length, both or neither");
    else if (v->village_election && v->level != LEVEL_VILLAGE)
        field_fail(f, "village_committee_election", "invalid",
                   "only villages and communities re-elect with their village committee");
    if (f->failed || !v->converted_on)
        return;
    char today[11];
    date_today(today);
    if (v->kind != KIND_FEDERATION || v->level != LEVEL_VILLAGE)
        field_fail(f, "converted_on", "invalid",
                   "only a village federation was converted from a women's congress");
    else if (strcmp(v->converted_on, today) > 0)
        field_fail(f, "converted_on", "invalid", "lies in the future (today is %s)", today);
}

/* Reads the organisation as it is now into *after (new reference) and records the change in
 * the audit log with before (NULL for a creation), inside the caller's transaction; with an
 * import's batch when the request has one. DB_OK or an error. */
static int record_change(struct request *req, long long id, const char *action,
                         const json_t *before, json_t **after)
{
    int rc = org_read(req, id, after);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    struct audit_entry e = {
        .actor = req->session->who.username, .actor_region = req->session->who.region,
        .region = json_string_value(json_object_get(*after, "region")), .action = action,
        .entity = "organisation", .entity_id = arena_printf(req->arena, "%lld", id),
        .before = before, .after = *after, .request_id = req->request_id,
        .address = req->remote_addr};
    return req->audit_batch ? audit_batch_add(req->db, req->audit_batch, &e)
                            : audit_write(req->db, &e);
}

/* The end of every write, inside its transaction: records the change (see record_change),
 * commits, and answers status with the organisation. On an error it rolls back and answers the
 * error. Releases before. */
static int commit_change(struct request *req, long long id, const char *action, json_t *before,
                         int status)
{
    json_t *after = NULL;
    int rc = record_change(req, id, action, before, &after);
    if (rc == DB_OK)
        rc = db_commit(req->db);
    json_decref(before);
    if (rc != DB_OK) {
        db_rollback(req->db);
        json_decref(after);
        return http_db_error(req, rc);
    }
    if (status == 201)
        http_header(req, "Location", arena_printf(req->arena, "/api/v1/organisations/%lld", id));
    return http_json(req, status, after);
}

void org_values_read(struct fields *f, struct org_values *v)
{
    *v = (struct org_values){.region = field_text(f, "region", 1, 12, REQUIRED)};
    v->kind = field_enum(f, "kind", org_kinds, REQUIRED);
    int host = field_enum(f, "host_kind", org_host_kinds, OPTIONAL);
    v->host_kind = host >= 0 ? org_host_kinds[host] : NULL;
    v->name = field_text(f, "name", 1, 200, REQUIRED);
    v->term_start = field_date(f, "term_start", OPTIONAL);
    v->term_years = field_int(f, "term_years", 3, 5, 0, OPTIONAL);
    v->village_election = field_date(f, "village_committee_election", OPTIONAL);
    v->converted_on = field_date(f, "converted_on", OPTIONAL);
    if (v->region && (v->level = region_level_of(v->region)) == LEVEL_NONE)
        field_fail(f, "region", "invalid", "a region code has 2, 4, 6, 9 or 12 digits");
}

int org_region_visible(struct request *req, const char *code)
{
    struct db_stmt *st = db_prepare(req->db, REGION_VISIBLE);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, code);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW)
        db_reset(st);
    return rc;
}

static int insert_org(struct request *req, const struct org_values *v, long long *id)
{
    *id = 0;
    struct db_stmt *st = db_prepare(req->db, INSERT_ORG);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, v->region);
    db_bind_int(st, v->level);
    db_bind_str(st, org_kinds[v->kind]);
    db_bind_str(st, v->host_kind);
    db_bind_str(st, v->name);
    db_bind_str(st, v->converted_on);
    db_bind_str(st, v->term_start);
    if (v->term_years)
        db_bind_int(st, v->term_years);
    else
        db_bind_null(st);
    db_bind_str(st, v->village_election);
    int rc = db_execute(st);
    if (rc == DB_OK)
        *id = db_insert_id(st);
    return rc;
}

int org_insert(struct request *req, const struct org_values *v, long long *id)
{
    int rc = insert_org(req, v, id);
    if (rc == DB_DUPLICATE)
        return http_error(req, 409, "duplicate", "region",
                          "region %s has its federation or women's congress already", v->region);
    json_t *after = NULL;
    if (rc == DB_OK)
        rc = record_change(req, *id, "create", NULL, &after);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

int organisation_create(struct request *req)
{
    struct fields f;
    struct org_values v;
    if (fields_begin(&f, req) != 0)
        return req->status;
    org_values_read(&f, &v);
    if (fields_end(&f) != 0)
        return req->status;
    /* An unknown region first: the rules of what may exist where depend on it. */
    int rc = org_region_visible(req, v.region);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "region", "no region %s in your jurisdiction",
                          v.region);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    org_values_check(&f, &v);
    if (fields_end(&f) != 0)
        return req->status;
    long long id;
    if ((rc = db_begin(req->db)) != DB_OK)
        return http_db_error(req, rc);
    int status = insert_org(req, &v, &id);
    if (status != DB_OK) {
        db_rollback(req->db);
        if (status == DB_DUPLICATE)
            return http_error(req, 409, "duplicate", "region",
                              "region %s has its federation or women's congress already",
                              v.region);
        return http_db_error(req, status);
    }
    return commit_change(req, id, "create", NULL, 201);
}

struct org_values org_values_of(const json_t *org)
{
    const json_t *term = json_object_get(org, "term");
    const char *region = json_member_text(org, "region");
    return (struct org_values){
        .region = region, .level = region_level_of(region),
        .kind = org_name_index(org_kinds, json_member_text(org, "kind")),
        .host_kind = json_member_text(org, "host_kind"), .name = json_member_text(org, "name"),
        .converted_on = json_member_text(org, "converted_on"), .term_start = json_member_text(term, "start"),
        .village_election = json_member_text(org, "village_committee_election"),
        .term_years = json_integer_value(json_object_get(term, "years"))};
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

bool org_values_equal(const struct org_values *a, const struct org_values *b)
{
    return a->kind == b->kind && same_text(a->name, b->name) &&
           same_text(a->converted_on, b->converted_on) &&
           same_text(a->term_start, b->term_start) && a->term_years == b->term_years &&
           same_text(a->village_election, b->village_election);
}

int org_patch_values(struct request *req, struct fields *f, long long version,
                        struct org_values *v, bool *converting)
{
    *converting = false;
    long long sent = field_int(f, "version", 1, UINT32_MAX, 0, REQUIRED);
    if (!f->failed && sent != version)
        return http_error(req, 409, "stale_version", "version",
                          "the organisation changed meanwhile (version %lld, not %lld); reload it",
                          version, sent);
    if (field_present(f, "name"))
        v->name = field_text(f, "name", 1, 200, REQUIRED);
    if (field_present(f, "term_start"))
        v->term_start = field_date(f, "term_start", OPTIONAL);
    if (field_present(f, "term_years"))
        v->term_years = field_int(f, "term_years", 3, 5, 0, OPTIONAL);
    if (field_present(f, "village_committee_election"))
        v->village_election = field_date(f, "village_committee_election", OPTIONAL);
    if (field_present(f, "converted_on"))
        v->converted_on = field_date(f, "converted_on", OPTIONAL);
    int kind = field_present(f, "kind") ? field_enum(f, "kind", org_kinds, REQUIRED) : v->kind;
    if (kind >= 0 && kind != v->kind) {
        if (v->kind != KIND_CONGRESS || kind != KIND_FEDERATION)
            field_fail(f, "kind", "invalid",
                       "only a women's congress changes its kind, into a federation (会改联)");
        else if (!v->converted_on)
            field_fail(f, "converted_on", "required", "a conversion (会改联) needs its date");
        v->kind = kind;
        *converting = true;
    }
    org_values_check(f, v);
    return fields_end(f);
}

static int update_org(struct request *req, const struct org_values *v, long long id,
                      long long version)
{
    struct db_stmt *st = db_prepare(req->db, UPDATE_ORG);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, org_kinds[v->kind]);
    db_bind_str(st, v->name);
    db_bind_str(st, v->converted_on);
    db_bind_str(st, v->term_start);
    if (v->term_years)
        db_bind_int(st, v->term_years);
    else
        db_bind_null(st);
    db_bind_str(st, v->village_election);
    db_bind_int(st, id);
    db_bind_int(st, version);
    int rc = db_execute(st);
    return rc == DB_OK && db_affected(st) == 0 ? DB_DONE : rc;
}

int org_store(struct request *req, long long id, const json_t *before,
              const struct org_values *v, bool converting)
{
    long long version = json_integer_value(json_object_get(before, "version"));
    int rc = update_org(req, v, id, version);
    if (rc == DB_DONE)
        return http_error(req, 409, "stale_version", "version",
                          "the organisation changed meanwhile; reload it");
    json_t *after = NULL;
    if (rc == DB_OK)
        rc = record_change(req, id, converting ? "convert" : "update", before, &after);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

int organisation_update(struct request *req)
{
    long long id = id_param(req);
    if (!id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    json_t *before;
    int rc = org_read(req, id, &before);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "id", "no organisation %lld in your jurisdiction", id);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    long long version = json_integer_value(json_object_get(before, "version"));
    struct org_values old = org_values_of(before), v = old;
    bool converting;
    int status = org_patch_values(req, &f, version, &v, &converting);
    if (status == 0 && org_values_equal(&v, &old)) /* nothing to change, nothing to record */
        status = http_json(req, 200, json_incref(before));
    if (status == 0 && (rc = db_begin(req->db)) != DB_OK)
        status = http_db_error(req, rc);
    if (status != 0) {
        json_decref(before);
        return status;
    }
    /* The version in the WHERE clause, not a lock, keeps out a change made since the read. */
    if ((rc = update_org(req, &v, id, version)) != DB_OK) {
        db_rollback(req->db);
        json_decref(before);
        if (rc == DB_DONE)
            return http_error(req, 409, "stale_version", "version",
                              "the organisation changed meanwhile; reload it");
        return http_db_error(req, rc);
    }
    return commit_change(req, id, converting ? "convert" : "update", before, 200);
}
