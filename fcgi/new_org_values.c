/* What a new organisation holds, read and checked the one way for the API (new_orgs.c) and the
 * import (import_new_orgs.c), and written through my_new_org with its audit entry in the
 * caller's transaction. */
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "db.h"
#include "new_org_rules.h"
#include "new_orgs.h"
#include "organisation.h"

enum { MAX_EMPLOYEES = 10000000 };

const char *const new_org_conditions[] = {"stable_operation", "stable_female_workforce",
                                          "suitable_chair", NULL};
/* As the web UI names them (labels.js), but 无 for a Party organisation not rated: something
 * to type in a spreadsheet. */
const char *const new_org_kind_names[] = {"新经济组织", "新社会组织", NULL};
const char *const new_org_rating_names[] = {"无", "达标", "优秀", NULL};
const char *const new_org_condition_names[] = {"经营稳定", "女职工队伍稳定",
                                               "有合适的妇委会主任人选", NULL};

static const char REGION_LEVEL[] = "SELECT level, name FROM my_region WHERE code = ?";

static const char INSERT_NEW_ORG[] =
    "INSERT INTO my_new_org (region, name, credit_code, kind, sector, employees,"
    " female_employees, party_rating, stable_operation, stable_female_workforce, suitable_chair,"
    " contact_name, contact_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char UPDATE_NEW_ORG[] =
    "UPDATE my_new_org SET name = ?, credit_code = ?, kind = ?, sector = ?, employees = ?,"
    " female_employees = ?, party_rating = ?, stable_operation = ?,"
    " stable_female_workforce = ?, suitable_chair = ?, contact_name = ?, contact_phone = ?,"
    " version = version + 1, updated_at = NOW(3) WHERE id = ? AND version = ?";

void new_org_values_read(struct fields *f, struct new_org_values *v, enum presence p)
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
        v->conditions[i] = field_present(f, new_org_conditions[i])
                               ? field_bool(f, new_org_conditions[i], false, REQUIRED)
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

void new_org_values_check(struct fields *f, const struct new_org_values *v)
{
    if (!f->failed && v->female_employees > v->employees)
        field_fail(f, "female_employees", "invalid",
                   "must not be more than the fixed employees (%lld)", v->employees);
}

void new_org_values_merge(struct new_org_values *v, const json_t *row)
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
            v->conditions[i] = json_is_true(json_object_get(row, new_org_conditions[i]));
    if (!v->contact_name_given)
        v->contact_name = json_string_value(json_object_get(row, "contact_name"));
    if (!v->contact_phone_given)
        v->contact_phone = json_string_value(json_object_get(row, "contact_phone"));
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool new_org_values_equal(const struct new_org_values *a, const struct new_org_values *b)
{
    for (int i = 0; i < 3; i++)
        if ((a->conditions[i] > 0) != (b->conditions[i] > 0))
            return false;
    return same_text(a->name, b->name) && same_text(a->credit_code, b->credit_code) &&
           same_text(a->sector, b->sector) && same_text(a->contact_name, b->contact_name) &&
           same_text(a->contact_phone, b->contact_phone) && a->kind == b->kind &&
           a->rating == b->rating && a->employees == b->employees &&
           a->female_employees == b->female_employees;
}

int new_org_region_level(struct request *req, const char *code, long long *level,
                         const char **name)
{
    struct db_stmt *st = db_prepare(req->db, REGION_LEVEL);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, code);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        *level = db_col_int(st, 0);
        const char *text = db_col_text(st, 1, NULL);
        *name = arena_strdup(req->arena, text ? text : "");
        db_reset(st);
    }
    return rc;
}

static void values_bind(struct db_stmt *st, const struct new_org_values *v)
{
    db_bind_str(st, v->name);
    db_bind_str(st, v->credit_code);
    db_bind_str(st, new_org_kinds[v->kind]);
    db_bind_str(st, v->sector);
    db_bind_int(st, v->employees);
    db_bind_int(st, v->female_employees);
    db_bind_str(st, new_org_ratings[v->rating < 0 ? 0 : v->rating]);
    for (int i = 0; i < 3; i++)
        db_bind_int(st, v->conditions[i] > 0);
    db_bind_str(st, v->contact_name);
    db_bind_str(st, v->contact_phone);
}

static json_t *text_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

/* The stored record of id once v is written (as new_org_row reads it, unmasked), built from v
 * and, for an update, before: the writes need not read it back. New reference. */
static json_t *record_after(long long id, const struct new_org_values *v, const json_t *before)
{
    json_t *o = before ? json_deep_copy(before) : json_object();
    json_object_set_new(o, "id", json_integer(id));
    if (!before) {
        json_object_set_new(o, "region", json_string(v->region));
        json_object_set_new(o, "region_name", text_or_null(v->region_name));
    }
    json_object_set_new(o, "name", json_string(v->name));
    json_object_set_new(o, "credit_code", json_string(v->credit_code));
    json_object_set_new(o, "kind", json_string(new_org_kinds[v->kind]));
    json_object_set_new(o, "sector", json_string(v->sector));
    json_object_set_new(o, "employees", json_integer(v->employees));
    json_object_set_new(o, "female_employees", json_integer(v->female_employees));
    const char *rating = new_org_ratings[v->rating < 0 ? 0 : v->rating];
    json_object_set_new(o, "party_rating", json_string(rating));
    for (int i = 0; i < 3; i++)
        json_object_set_new(o, new_org_conditions[i], json_boolean(v->conditions[i] > 0));
    json_object_set_new(o, "contact_name", text_or_null(v->contact_name));
    json_object_set_new(o, "contact_phone", text_or_null(v->contact_phone));
    if (!before) {
        json_object_set_new(o, "coverage",
                            json_pack("{s:s, s:n, s:n, s:n}", "state", "none", "committee_id",
                                      "liaison_position_id", "covered_on"));
        json_object_set_new(o, "link_count", json_integer(0));
    }
    long long version = before ? json_integer_value(json_object_get(before, "version")) + 1 : 1;
    json_object_set_new(o, "version", json_integer(version));
    struct new_org_conditions c = {v->conditions[0] > 0, v->conditions[1] > 0,
                                   v->conditions[2] > 0};
    json_object_set_new(o, "recommendation",
                        new_org_recommendation_json(v->female_employees, &c, rating));
    return o;
}

/* Audits the change of id (before NULL: its creation) to v. */
static int audit(struct request *req, const char *region, long long id,
                 const struct new_org_values *v, const json_t *before)
{
    json_t *after = record_after(id, v, before);
    int rc = cadre_audit(req, region, before ? "update" : "create", "new_org", id, before, after);
    json_decref(after);
    return rc;
}

int new_org_insert(struct request *req, const struct new_org_values *v, long long *id)
{
    struct db_stmt *st = db_prepare(req->db, INSERT_NEW_ORG);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, v->region);
    values_bind(st, v);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return rc;
    *id = db_insert_id(st);
    return audit(req, v->region, *id, v, NULL);
}

int new_org_store(struct request *req, long long id, const json_t *before,
                  const struct new_org_values *v)
{
    struct db_stmt *st = db_prepare(req->db, UPDATE_NEW_ORG);
    if (!st)
        return db_failure(req->db);
    values_bind(st, v);
    db_bind_int(st, id);
    db_bind_int(st, json_integer_value(json_object_get(before, "version")));
    int rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) != 1)
        rc = DB_CONFLICT; /* cannot happen while the row is locked */
    return rc == DB_OK
               ? audit(req, json_string_value(json_object_get(before, "region")), id, v, before)
               : rc;
}
