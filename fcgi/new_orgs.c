/* The registry of new economic and social organisations: POST and GET /api/v1/new-organisations,
 * GET and PATCH /api/v1/new-organisations/{id}. Each is registered under a township or county of
 * the caller's jurisdiction; its unified social credit code is checked (GB 32100) and unique.
 * Every write is one transaction with its audit entry. */
#include "new_orgs.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "json_out.h"
#include "new_org_coverage.h"
#include "new_org_rules.h"
#include "organisation.h"
#include "privacy.h"
#include "region_code.h"
#include "session.h"
#include "utf8.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200 };

const char *const new_org_kinds[] = {"economic", "social", NULL};
const char *const new_org_ratings[] = {"none", "up_to_standard", "excellent", NULL};
const char *const new_org_coverages[] = {"none", "committee", "liaison_officer", NULL};
static const char *const booleans[] = {"false", "true", NULL};

#define NEW_ORG_COLUMNS                                                                        \
    "SELECT n.id, n.region, r.name, n.name, n.credit_code, n.kind, n.sector, n.employees,"    \
    " n.female_employees, n.party_rating, n.stable_operation, n.stable_female_workforce,"     \
    " n.suitable_chair, n.contact_name, n.contact_phone, n.coverage, n.committee_id,"        \
    " n.liaison_position_id, n.covered_on, n.link_count, n.version"                           \
    " FROM my_new_org n LEFT JOIN my_region r ON r.code = n.region"
static const char NEW_ORG_ROW[] = NEW_ORG_COLUMNS " WHERE n.id = ?";
static const char NEW_ORG_ROW_LOCKED[] = NEW_ORG_COLUMNS " WHERE n.id = ? FOR UPDATE";

/* A page of the subtree in (region, id) order: one range of new_org_subtree from the cursor on,
 * the filters as "? IS NULL OR ..." pairs. */
static const char NEW_ORG_PAGE[] =
    NEW_ORG_COLUMNS " WHERE n.region LIKE CONCAT(?, '%')"
    " AND (n.region > ? OR (n.region = ? AND n.id > ?))"
    " AND (? IS NULL OR n.kind = ?) AND (? IS NULL OR n.party_rating = ?)"
    " AND (? IS NULL OR n.coverage = ?) AND (? IS NULL OR n.name LIKE CONCAT('%', ?, '%'))"
    " AND (? IS NULL OR (n.link_count > 0) = ?)"
    " ORDER BY n.region, n.id LIMIT ?";

/* A work list: the organisations without coverage in priority order (migration 008's
 * work_order). A township's is one range of new_org_worklist read in order; a county's adds its
 * townships' and is sorted, a few hundred rows even in a large county. */
#define WORKLIST_AFTER                                                                         \
    " AND (n.work_order > ? OR (n.work_order = ? AND n.id > ?))"                              \
    " ORDER BY n.work_order, n.id LIMIT ?"
static const char WORKLIST_TOWNSHIP[] =
    NEW_ORG_COLUMNS " WHERE n.coverage = 'none' AND n.region = ?" WORKLIST_AFTER;
static const char WORKLIST_COUNTY[] =
    NEW_ORG_COLUMNS " WHERE n.coverage = 'none' AND n.region LIKE CONCAT(?, '%')" WORKLIST_AFTER;

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers */

const char *new_org_param(const struct request *req, const char *name)
{
    const char *value = http_query(req, name);
    return value && value[0] ? value : NULL;
}

int new_org_bad_param(struct request *req, const char *name, const char *why)
{
    return http_error(req, 400, "invalid_parameter", name, "%s: %s", name, why);
}

int new_org_not_found(struct request *req, const char *field, long long id)
{
    return http_error(req, 404, NULL, field, "no new organisation %lld in your jurisdiction", id);
}

const char *new_org_subtree(struct request *req, const char *under, const char *name)
{
    const char *mine = req->session->who.region;
    if (!under)
        return mine;
    if (region_level_of(under) == LEVEL_NONE) {
        new_org_bad_param(req, name, "must be a region code of 2, 4, 6, 9 or 12 digits");
        return NULL;
    }
    if (region_within(under, mine))
        return under;
    if (region_within(mine, under))
        return mine; /* above the jurisdiction: the jurisdiction is the limit */
    http_error(req, 404, NULL, name, "no region %s in your jurisdiction", under);
    return NULL;
}

json_t *new_org_recommendation_json(long long female_employees,
                                    const struct new_org_conditions *c, const char *rating)
{
    enum recommendation r = new_org_recommend(female_employees, c);
    json_t *failing = json_array();
    const char *names[4];
    if (r == RECOMMEND_COMMITTEE_CONDITIONS)
        for (int i = 0, n = new_org_failing_conditions(c, names); i < n; i++)
            json_array_append_new(failing, json_string(names[i]));
    return json_pack("{s:s, s:o, s:i}", "kind", recommendation_names[r], "failing_conditions",
                     failing, "priority", new_org_work_order(rating, r));
}

/* The "two stable, one suitable" conditions of the current row of a NEW_ORG_COLUMNS statement. */
static struct new_org_conditions row_conditions(struct db_stmt *st)
{
    return (struct new_org_conditions){db_col_int(st, 10) != 0, db_col_int(st, 11) != 0,
                                       db_col_int(st, 12) != 0};
}

static void member_int_or_null(struct json_out *o, const char *key, struct db_stmt *st, int col)
{
    json_out_key(o, key);
    if (db_col_null(st, col))
        json_out_null(o);
    else
        json_out_int(o, db_col_int(st, col));
}

static void member_bool(struct json_out *o, const char *key, bool value)
{
    json_out_key(o, key);
    json_out_bool(o, value);
}

/* The current row of a NEW_ORG_COLUMNS statement written out: a list page of 50 built as a tree
 * of json_t cost jiceng more CPU than MariaDB spent finding the work list's rows. The one row
 * that callers change (new_org_row) is read back from this text, so there is one layout. */
static void new_org_out(struct json_out *o, struct db_stmt *st, bool unmasked)
{
    static const char *const text_columns[] = {"region", "region_name", "name", "credit_code",
                                               "kind", "sector"};
    const char *phone = db_col_text(st, 14, NULL);
    char masked[64];
    if (phone && !unmasked) {
        privacy_mask_mobile(phone, masked, sizeof masked);
        phone = masked;
    }
    json_out_begin_object(o);
    member_int_or_null(o, "id", st, 0);
    for (int i = 0; i < 6; i++)
        json_out_column(o, text_columns[i], st, i + 1);
    member_int_or_null(o, "employees", st, 7);
    member_int_or_null(o, "female_employees", st, 8);
    json_out_column(o, "party_rating", st, 9);
    member_bool(o, "stable_operation", db_col_int(st, 10) != 0);
    member_bool(o, "stable_female_workforce", db_col_int(st, 11) != 0);
    member_bool(o, "suitable_chair", db_col_int(st, 12) != 0);
    json_out_column(o, "contact_name", st, 13);
    json_out_key(o, "contact_phone");
    json_out_str(o, phone);
    json_out_key(o, "coverage");
    json_out_begin_object(o);
    json_out_column(o, "state", st, 15);
    member_int_or_null(o, "committee_id", st, 16);
    member_int_or_null(o, "liaison_position_id", st, 17);
    json_out_column(o, "covered_on", st, 18);
    json_out_end_object(o);
    member_int_or_null(o, "link_count", st, 19);
    member_int_or_null(o, "version", st, 20);
    struct new_org_conditions c = row_conditions(st);
    enum recommendation r = new_org_recommend(db_col_int(st, 8), &c);
    const char *failing[4];
    int n = r == RECOMMEND_COMMITTEE_CONDITIONS ? new_org_failing_conditions(&c, failing) : 0;
    json_out_key(o, "recommendation");
    json_out_begin_object(o);
    json_out_key(o, "kind");
    json_out_str(o, recommendation_names[r]);
    json_out_key(o, "failing_conditions");
    json_out_begin_array(o);
    for (int i = 0; i < n; i++)
        json_out_str(o, failing[i]);
    json_out_end_array(o);
    json_out_key(o, "priority");
    json_out_int(o, new_org_work_order(db_col_text(st, 9, NULL), r));
    json_out_end_object(o);
    json_out_end_object(o);
}

/* A list page's answer: the items o holds (an open array in an open object), then next. */
static int page_answer(struct request *req, struct json_out *o, const char *next)
{
    json_out_end_array(o);
    json_out_key(o, "next_cursor");
    json_out_str(o, next);
    json_out_end_object(o);
    return http_json_text(req, 200, o);
}

json_t *new_org_row(struct request *req, long long id, bool lock, bool unmasked, int *rc)
{
    struct db_stmt *st = db_row_of(req->db, lock ? NEW_ORG_ROW_LOCKED : NEW_ORG_ROW, id, rc);
    if (!st)
        return NULL;
    struct json_out o;
    json_out_init(&o, req->arena);
    new_org_out(&o, st, unmasked);
    db_reset(st);
    size_t len;
    const char *text = json_out_text(&o, &len);
    json_t *row = json_loadb(text, len, 0, NULL);
    if (!row)
        *rc = DB_ERROR; /* our own text: a bug */
    return row;
}

int new_org_respond(struct request *req, int status, long long id)
{
    int rc;
    json_t *row = new_org_row(req, id, false,
                              privacy_allowed(req->cfg, req->session->who.roles), &rc);
    if (!row)
        return rc == DB_DONE ? new_org_not_found(req, "id", id) : http_db_error(req, rc);
    if ((rc = new_org_add_coverage_request(req, row)) != DB_OK) {
        json_decref(row);
        return http_db_error(req, rc);
    }
    if (status == 201)
        http_header(req, "Location", arena_printf(req->arena, "/api/v1/new-organisations/%lld", id));
    return http_json(req, status, row);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading and checking an organisation */

static int duplicate_code(struct request *req)
{
    return http_error(req, 409, "duplicate", "credit_code",
                      "an organisation with this credit code is registered already");
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/new-organisations */

struct create {
    struct new_org_values v;
    long long id;
};

static int create_step(struct request *req, void *data)
{
    struct create *c = data;
    int rc = new_org_insert(req, &c->v, &c->id);
    if (rc == DB_DUPLICATE)
        return duplicate_code(req);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

int new_org_create(struct request *req)
{
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    struct create c = {0};
    c.v.region = field_text(&f, "region", 1, 12, REQUIRED);
    new_org_values_read(&f, &c.v, REQUIRED);
    if (c.v.rating < 0)
        c.v.rating = 0; /* none */
    new_org_values_check(&f, &c.v);
    if (fields_end(&f) != 0)
        return req->status;
    long long level = 0;
    int rc = new_org_region_level(req, c.v.region, &level, &c.v.region_name);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "region", "no region %s in your jurisdiction",
                          c.v.region);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    if (level != LEVEL_COUNTY && level != LEVEL_TOWNSHIP)
        return http_error(req, 422, "invalid", "region",
                          "region: a new organisation is registered under a county or a township");
    int status = cadre_in_transaction(req, create_step, &c);
    return status ? status : new_org_respond(req, 201, c.id);
}

/* ------------------------------------------------------------------------------------------ */
/* GET and PATCH /api/v1/new-organisations/{id} */

int new_org_get(struct request *req)
{
    long long id = cadre_path_id(req, "id");
    return id ? new_org_respond(req, 200, id) : req->status;
}

struct update {
    long long id, version;
    struct fields *f;
    struct new_org_values v;
};

static int update_step(struct request *req, void *data)
{
    struct update *u = data;
    int rc, status = 0;
    json_t *before = new_org_row(req, u->id, true, true, &rc);
    if (!before)
        return rc == DB_DONE ? new_org_not_found(req, "id", u->id) : http_db_error(req, rc);
    if (json_integer_value(json_object_get(before, "version")) != u->version) {
        status = http_error(req, 409, "stale_version", "version",
                            "the organisation was changed by someone else; reload and try again");
    } else {
        new_org_values_merge(&u->v, before);
        new_org_values_check(u->f, &u->v);
        if ((status = fields_end(u->f)) == 0 &&
            (rc = new_org_store(req, u->id, before, &u->v)) != DB_OK)
            status = rc == DB_DUPLICATE ? duplicate_code(req) : http_db_error(req, rc);
    }
    json_decref(before);
    return status;
}

int new_org_update(struct request *req)
{
    struct update u = {.id = cadre_path_id(req, "id")};
    if (!u.id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    u.f = &f;
    u.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    if (field_present(&f, "region"))
        field_fail(&f, "region", "invalid", "cannot be changed; register the organisation anew");
    new_org_values_read(&f, &u.v, OPTIONAL);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, update_step, &u);
    return status ? status : new_org_respond(req, 200, u.id);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/new-organisations */

/* The index of the parameter's value in list, -1 when absent; -2 with 400 set when unknown. */
static int param_enum(struct request *req, const char *name, const char *const *list)
{
    const char *value = new_org_param(req, name);
    if (!value)
        return -1;
    int i = org_name_index(list, value);
    if (i < 0) {
        char allowed[200] = "";
        for (int k = 0; list[k]; k++)
            snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
                     k ? ", " : "", list[k]);
        new_org_bad_param(req, name, arena_printf(req->arena, "must be one of %s", allowed));
        return -2;
    }
    return i;
}

/* A LIKE pattern matching text anywhere: its own % _ and \ escaped. */
static const char *contains_pattern(struct arena *a, const char *text)
{
    char *out = arena_alloc(a, strlen(text) * 2 + 1), *o = out;
    for (const char *s = text; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

int new_org_list_read(struct request *req, struct new_org_list_query *q)
{
    *q = (struct new_org_list_query){0};
    if (!(q->under = new_org_subtree(req, new_org_param(req, "under"), "under")))
        return req->status;
    if ((q->kind = param_enum(req, "kind", new_org_kinds)) == -2 ||
        (q->rating = param_enum(req, "rating", new_org_ratings)) == -2 ||
        (q->coverage = param_enum(req, "coverage", new_org_coverages)) == -2 ||
        (q->linked = param_enum(req, "linked", booleans)) == -2)
        return req->status;
    const char *name = new_org_param(req, "name"), *cursor = new_org_param(req, "cursor");
    if (name && utf8_length(name, strlen(name)) > 200)
        return new_org_bad_param(req, "name", "must have at most 200 characters");
    q->name = name ? contains_pattern(req->arena, name) : NULL;
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &q->limit) != 0)
        return req->status;
    if (cursor && !org_cursor_parse(cursor, q->after_region, &q->after_id))
        return new_org_bad_param(req, "cursor", "must be the next_cursor of the previous page");
    return 0;
}

static void bind_pair(struct db_stmt *st, const char *const *list, int index)
{
    for (int i = 0; i < 2; i++)
        db_bind_str(st, index >= 0 ? list[index] : NULL);
}

int new_org_list_execute(struct request *req, const struct new_org_list_query *q,
                         struct db_stmt **out)
{
    struct db_stmt *st = db_prepare(req->db, NEW_ORG_PAGE);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, q->under);
    db_bind_str(st, q->after_region);
    db_bind_str(st, q->after_region);
    db_bind_int(st, q->after_id);
    bind_pair(st, new_org_kinds, q->kind);
    bind_pair(st, new_org_ratings, q->rating);
    bind_pair(st, new_org_coverages, q->coverage);
    db_bind_str(st, q->name);
    db_bind_str(st, q->name);
    for (int i = 0; i < 2; i++)
        if (q->linked >= 0)
            db_bind_int(st, q->linked);
        else
            db_bind_null(st);
    db_bind_int(st, q->limit + 1); /* one more tells whether another page follows */
    *out = st;
    return db_execute(st);
}

int new_orgs_list(struct request *req)
{
    struct new_org_list_query q;
    struct db_stmt *st;
    if (new_org_list_read(req, &q) != 0)
        return req->status;
    int rc = new_org_list_execute(req, &q, &st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    bool unmasked = privacy_allowed(req->cfg, req->session->who.roles), more = false;
    struct json_out o;
    json_out_init(&o, req->arena);
    json_out_begin_object(&o);
    json_out_key(&o, "items");
    json_out_begin_array(&o);
    const char *next = NULL;
    long count = 0;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (count == q.limit) {
            more = true;
            continue;
        }
        new_org_out(&o, st, unmasked);
        if (++count == q.limit)
            next = org_cursor(req->arena, db_col_text(st, 1, NULL), db_col_int(st, 0));
    }
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    return page_answer(req, &o, more ? next : NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/new-organisations/worklist */

/* Reads a work-list cursor "<work_order>.<id>"; false when it is not one. */
static bool worklist_cursor_parse(const char *cursor, long long *order, long long *id)
{
    int n = 0;
    if (strlen(cursor) > 30 || strspn(cursor, "0123456789.") != strlen(cursor) ||
        sscanf(cursor, "%lld.%lld%n", order, id, &n) != 2 || cursor[n] != '\0')
        return false;
    return *order >= 0 && *order < 100 && *id > 0;
}

/* The work order of the current row (its recommendation's priority): the cursor's first half. */
static int worklist_order(struct db_stmt *st)
{
    struct new_org_conditions c = row_conditions(st);
    return new_org_work_order(db_col_text(st, 9, NULL),
                              new_org_recommend(db_col_int(st, 8), &c));
}

int new_org_worklist(struct request *req)
{
    const char *region = new_org_param(req, "region"), *cursor = new_org_param(req, "cursor");
    long limit;
    long long after_order = -1, after_id = 0;
    enum region_level level = region ? region_level_of(region) : LEVEL_NONE;
    if (!region)
        return http_error(req, 400, "invalid_parameter", "region",
                          "region: the township or county of the work list is required");
    if (level != LEVEL_TOWNSHIP && level != LEVEL_COUNTY)
        return new_org_bad_param(req, "region", "must be the code of a township or a county");
    if (!region_within(region, req->session->who.region))
        return http_error(req, 404, NULL, "region", "no region %s in your jurisdiction", region);
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) != 0)
        return req->status;
    if (cursor && !worklist_cursor_parse(cursor, &after_order, &after_id))
        return new_org_bad_param(req, "cursor", "must be the next_cursor of the previous page");
    struct db_stmt *st =
        db_prepare(req->db, level == LEVEL_TOWNSHIP ? WORKLIST_TOWNSHIP : WORKLIST_COUNTY);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, region);
    db_bind_int(st, after_order);
    db_bind_int(st, after_order);
    db_bind_int(st, after_id);
    db_bind_int(st, limit + 1);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    bool unmasked = privacy_allowed(req->cfg, req->session->who.roles), more = false;
    struct json_out o;
    json_out_init(&o, req->arena);
    json_out_begin_object(&o);
    json_out_key(&o, "items");
    json_out_begin_array(&o);
    const char *next = NULL;
    long count = 0;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (count == limit) {
            more = true;
            continue;
        }
        new_org_out(&o, st, unmasked);
        if (++count == limit)
            next = arena_printf(req->arena, "%d.%lld", worklist_order(st), db_col_int(st, 0));
    }
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    return page_answer(req, &o, more ? next : NULL);
}
