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
#include "new_org_coverage.h"
#include "new_org_rules.h"
#include "organisation.h"
#include "privacy.h"
#include "region_code.h"
#include "session.h"
#include "utf8.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200, MAX_EMPLOYEES = 10000000 };

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

static const char REGION_LEVEL[] = "SELECT level FROM my_region WHERE code = ?";

static const char INSERT_NEW_ORG[] =
    "INSERT INTO my_new_org (region, name, credit_code, kind, sector, employees,"
    " female_employees, party_rating, stable_operation, stable_female_workforce, suitable_chair,"
    " contact_name, contact_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char UPDATE_NEW_ORG[] =
    "UPDATE my_new_org SET name = ?, credit_code = ?, kind = ?, sector = ?, employees = ?,"
    " female_employees = ?, party_rating = ?, stable_operation = ?,"
    " stable_female_workforce = ?, suitable_chair = ?, contact_name = ?, contact_phone = ?,"
    " version = version + 1, updated_at = NOW(3) WHERE id = ? AND version = ?";

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

/* The recommendation of the current row of a NEW_ORG_COLUMNS statement. New reference. */
static json_t *recommendation_json(struct db_stmt *st)
{
    struct new_org_conditions c = {db_col_int(st, 10) != 0, db_col_int(st, 11) != 0,
                                   db_col_int(st, 12) != 0};
    enum recommendation r = new_org_recommend(db_col_int(st, 8), &c);
    json_t *failing = json_array();
    const char *names[4];
    if (r == RECOMMEND_COMMITTEE_CONDITIONS)
        for (int i = 0, n = new_org_failing_conditions(&c, names); i < n; i++)
            json_array_append_new(failing, json_string(names[i]));
    return json_pack("{s:s, s:o, s:i}", "kind", recommendation_names[r], "failing_conditions",
                     failing, "priority",
                     new_org_work_order(db_col_text(st, 9, NULL), r));
}

/* The current row of a NEW_ORG_COLUMNS statement. New reference. */
static json_t *new_org_json(struct db_stmt *st, bool unmasked)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
    json_object_set_new(o, "region", json_column_text(st, 1));
    json_object_set_new(o, "region_name", json_column_text(st, 2));
    json_object_set_new(o, "name", json_column_text(st, 3));
    json_object_set_new(o, "credit_code", json_column_text(st, 4));
    json_object_set_new(o, "kind", json_column_text(st, 5));
    json_object_set_new(o, "sector", json_column_text(st, 6));
    json_object_set_new(o, "employees", json_integer(db_col_int(st, 7)));
    json_object_set_new(o, "female_employees", json_integer(db_col_int(st, 8)));
    json_object_set_new(o, "party_rating", json_column_text(st, 9));
    json_object_set_new(o, "stable_operation", json_boolean(db_col_int(st, 10)));
    json_object_set_new(o, "stable_female_workforce", json_boolean(db_col_int(st, 11)));
    json_object_set_new(o, "suitable_chair", json_boolean(db_col_int(st, 12)));
    json_object_set_new(o, "contact_name", json_column_text(st, 13));
    json_object_set_new(o, "contact_phone",
                        privacy_mobile_json(db_col_text(st, 14, NULL), unmasked));
    json_object_set_new(o, "coverage",
                        json_pack("{s:o, s:o, s:o, s:o}", "state", json_column_text(st, 15),
                                  "committee_id", json_column_int(st, 16),
                                  "liaison_position_id", json_column_int(st, 17), "covered_on",
                                  json_column_text(st, 18)));
    json_object_set_new(o, "link_count", json_integer(db_col_int(st, 19)));
    json_object_set_new(o, "version", json_integer(db_col_int(st, 20)));
    json_object_set_new(o, "recommendation", recommendation_json(st));
    return o;
}

json_t *new_org_row(struct request *req, long long id, bool lock, bool unmasked, int *rc)
{
    struct db_stmt *st = db_prepare(req->db, lock ? NEW_ORG_ROW_LOCKED : NEW_ORG_ROW);
    if (!st) {
        *rc = db_failure(req->db);
        return NULL;
    }
    db_bind_int(st, id);
    if ((*rc = db_execute(st)) != DB_OK || (*rc = db_fetch(st)) != DB_ROW)
        return NULL;
    json_t *row = new_org_json(st, unmasked);
    db_reset(st);
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

/* What a client may set. NULL and -1 members were not given (in a PATCH: keep). */
struct new_org_values {
    const char *region, *name, *credit_code, *sector, *contact_name, *contact_phone;
    int kind, rating; /* indexes in new_org_kinds, new_org_ratings */
    long long employees, female_employees;
    int conditions[3]; /* -1 not given, else 0 or 1 */
    bool contact_name_given, contact_phone_given;
};

static const char *const condition_names[] = {"stable_operation", "stable_female_workforce",
                                              "suitable_chair"};

/* Reads the members present; p says whether the ones a new organisation needs are required. */
static void values_read(struct fields *f, struct new_org_values *v, enum presence p)
{
    v->name = field_text(f, "name", 1, 200, p);
    const char *code = field_text(f, "credit_code", 1, 40, p);
    if (code) {
        char *upper = arena_strdup(f->req->arena, code);
        credit_code_normalise(upper);
        enum credit_code_problem problem = credit_code_check(upper);
        if (problem != CREDIT_CODE_OK)
            field_fail(f, "credit_code", "invalid", "%s", credit_code_problem_text(problem));
        v->credit_code = upper;
    }
    v->kind = field_enum(f, "kind", new_org_kinds, p);
    v->sector = field_text(f, "sector", 1, 60, p);
    v->employees = field_int(f, "employees", 0, MAX_EMPLOYEES, -1, p);
    v->female_employees = field_int(f, "female_employees", 0, MAX_EMPLOYEES, -1, p);
    v->rating = field_enum(f, "party_rating", new_org_ratings, OPTIONAL);
    for (int i = 0; i < 3; i++)
        v->conditions[i] = field_present(f, condition_names[i])
                               ? field_bool(f, condition_names[i], false, REQUIRED)
                               : -1;
    if ((v->contact_name_given = field_present(f, "contact_name")))
        v->contact_name = field_text(f, "contact_name", 1, 64, OPTIONAL);
    if ((v->contact_phone_given = field_present(f, "contact_phone"))) {
        v->contact_phone = field_text(f, "contact_phone", 1, 20, OPTIONAL);
        const char *s = v->contact_phone;
        if (s && (strlen(s) < 7 || s[0] == '-' || strspn(s, "0123456789-") != strlen(s)))
            field_fail(f, "contact_phone", "invalid",
                       "must be 7 to 20 digits, with hyphens between groups");
    }
}

/* The checks across members, on the values the organisation will hold. */
static void values_check(struct fields *f, const struct new_org_values *v)
{
    if (!f->failed && v->female_employees > v->employees)
        field_fail(f, "female_employees", "invalid",
                   "must not be more than the fixed employees (%lld)", v->employees);
}

static void values_bind(struct db_stmt *st, const struct new_org_values *v)
{
    db_bind_str(st, v->name);
    db_bind_str(st, v->credit_code);
    db_bind_str(st, new_org_kinds[v->kind]);
    db_bind_str(st, v->sector);
    db_bind_int(st, v->employees);
    db_bind_int(st, v->female_employees);
    db_bind_str(st, new_org_ratings[v->rating]);
    for (int i = 0; i < 3; i++)
        db_bind_int(st, v->conditions[i] > 0);
    db_bind_str(st, v->contact_name);
    db_bind_str(st, v->contact_phone);
}

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
    struct db_stmt *st = db_prepare(req->db, INSERT_NEW_ORG);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, c->v.region);
    values_bind(st, &c->v);
    int rc = db_execute(st);
    if (rc == DB_DUPLICATE)
        return duplicate_code(req);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    c->id = db_insert_id(st);
    json_t *after = new_org_row(req, c->id, false, true, &rc);
    if (!after)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    rc = cadre_audit(req, c->v.region, "create", "new_org", c->id, NULL, after);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* DB_ROW with *level set when the caller's view holds the region, DB_DONE when not, or an
 * error. */
static int region_level(struct request *req, const char *code, long long *level)
{
    struct db_stmt *st = db_prepare(req->db, REGION_LEVEL);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, code);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        *level = db_col_int(st, 0);
        db_reset(st);
    }
    return rc;
}

int new_org_create(struct request *req)
{
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    struct create c = {0};
    c.v.region = field_text(&f, "region", 1, 12, REQUIRED);
    values_read(&f, &c.v, REQUIRED);
    if (c.v.rating < 0)
        c.v.rating = 0; /* none */
    values_check(&f, &c.v);
    if (fields_end(&f) != 0)
        return req->status;
    long long level = 0;
    int rc = region_level(req, c.v.region, &level);
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

/* The PATCH values over the stored row: what the organisation will hold. */
static void values_merge(struct new_org_values *v, const json_t *row)
{
#define KEEP(member)                                                                           \
    if (!v->member)                                                                            \
    v->member = json_string_value(json_object_get(row, #member))
    KEEP(name);
    KEEP(credit_code);
    KEEP(sector);
#undef KEEP
    if (v->kind < 0)
        v->kind = org_name_index(new_org_kinds, json_string_value(json_object_get(row, "kind")));
    if (v->rating < 0)
        v->rating = org_name_index(new_org_ratings,
                                   json_string_value(json_object_get(row, "party_rating")));
    if (v->employees < 0)
        v->employees = json_integer_value(json_object_get(row, "employees"));
    if (v->female_employees < 0)
        v->female_employees = json_integer_value(json_object_get(row, "female_employees"));
    for (int i = 0; i < 3; i++)
        if (v->conditions[i] < 0)
            v->conditions[i] = json_is_true(json_object_get(row, condition_names[i]));
    if (!v->contact_name_given)
        v->contact_name = json_string_value(json_object_get(row, "contact_name"));
    if (!v->contact_phone_given)
        v->contact_phone = json_string_value(json_object_get(row, "contact_phone"));
}

static int update_step(struct request *req, void *data)
{
    struct update *u = data;
    int rc, status = 0;
    json_t *before = new_org_row(req, u->id, true, true, &rc), *after = NULL;
    if (!before)
        return rc == DB_DONE ? new_org_not_found(req, "id", u->id) : http_db_error(req, rc);
    if (json_integer_value(json_object_get(before, "version")) != u->version) {
        status = http_error(req, 409, "stale_version", "version",
                            "the organisation was changed by someone else; reload and try again");
        goto done;
    }
    values_merge(&u->v, before);
    values_check(u->f, &u->v);
    if ((status = fields_end(u->f)) != 0)
        goto done;
    struct db_stmt *st = db_prepare(req->db, UPDATE_NEW_ORG);
    if (!st) {
        status = http_db_error(req, db_failure(req->db));
        goto done;
    }
    values_bind(st, &u->v);
    db_bind_int(st, u->id);
    db_bind_int(st, u->version);
    rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) != 1)
        rc = DB_CONFLICT; /* cannot happen while the row is locked */
    if (rc == DB_OK) {
        after = new_org_row(req, u->id, false, true, &rc);
        rc = after ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
    }
    if (rc == DB_OK)
        rc = cadre_audit(req, json_string_value(json_object_get(before, "region")), "update",
                         "new_org", u->id, before, after);
    if (rc != DB_OK)
        status = rc == DB_DUPLICATE ? duplicate_code(req) : http_db_error(req, rc);
done:
    json_decref(before);
    json_decref(after);
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
    values_read(&f, &u.v, OPTIONAL);
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

struct list_query {
    const char *under, *name;
    int kind, rating, coverage, linked;
    char after_region[13];
    long long after_id;
    long limit;
};

static int list_query_read(struct request *req, struct list_query *q)
{
    *q = (struct list_query){0};
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

int new_orgs_list(struct request *req)
{
    struct list_query q;
    if (list_query_read(req, &q) != 0)
        return req->status;
    struct db_stmt *st = db_prepare(req->db, NEW_ORG_PAGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, q.under);
    db_bind_str(st, q.after_region);
    db_bind_str(st, q.after_region);
    db_bind_int(st, q.after_id);
    bind_pair(st, new_org_kinds, q.kind);
    bind_pair(st, new_org_ratings, q.rating);
    bind_pair(st, new_org_coverages, q.coverage);
    db_bind_str(st, q.name);
    db_bind_str(st, q.name);
    for (int i = 0; i < 2; i++)
        if (q.linked >= 0)
            db_bind_int(st, q.linked);
        else
            db_bind_null(st);
    db_bind_int(st, q.limit + 1); /* one more tells whether another page follows */
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    bool unmasked = privacy_allowed(req->cfg, req->session->who.roles), more = false;
    json_t *items = json_array();
    const char *next = NULL;
    long count = 0;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (count == q.limit) {
            more = true;
            continue;
        }
        json_array_append_new(items, new_org_json(st, unmasked));
        if (++count == q.limit)
            next = org_cursor(req->arena, db_col_text(st, 1, NULL), db_col_int(st, 0));
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return http_db_error(req, rc);
    }
    return http_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                         more ? json_string(next) : json_null()));
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
    json_t *items = json_array();
    const char *next = NULL;
    long count = 0;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (count == limit) {
            more = true;
            continue;
        }
        json_t *item = new_org_json(st, unmasked);
        long long order = json_integer_value(
            json_object_get(json_object_get(item, "recommendation"), "priority"));
        json_array_append_new(items, item);
        if (++count == limit)
            next = arena_printf(req->arena, "%lld.%lld", order, db_col_int(st, 0));
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return http_db_error(req, rc);
    }
    return http_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                         more ? json_string(next) : json_null()));
}
