/* POST /api/v1/new-organisations/{id}/coverage: a clerk records that a new organisation has set
 * up its women's committee (the committee becomes an organisation of the roster, with its term)
 * or has got its liaison officer (a liaison_officer position in the federation of the region
 * where the organisation is registered). One transaction: the organisation or position, the new
 * organisation's coverage, and their audit entries.
 *
 * This is the direct, unapproved form. Once the chain engine exists, both become requests that
 * the township proposes and the county approves, and this handler is what the approval runs. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "new_org_rules.h"
#include "new_orgs.h"
#include "organisation.h"
#include "region_code.h"

enum coverage_kind { COVER_COMMITTEE, COVER_LIAISON };
static const char *const coverage_kinds[] = {"committee", "liaison_officer", NULL};

static const char INSERT_COMMITTEE[] =
    "INSERT INTO my_organisation (region, level, kind, host_kind, name, term_start, term_years)"
    " VALUES (?, ?, 'womens_committee', ?, ?, ?, ?)";

static const char ORG_AUDIT_ROW[] =
    "SELECT JSON_OBJECT('id', id, 'region', region, 'level', level, 'kind', kind,"
    " 'host_kind', host_kind, 'name', name, 'term_start', term_start,"
    " 'term_years', term_years, 'version', version) FROM my_organisation WHERE id = ?";

static const char FEDERATION_OF[] = "SELECT id FROM my_organisation WHERE federation_of = ?";

static const char SET_COVERAGE[] =
    "UPDATE my_new_org SET coverage = ?, committee_id = COALESCE(?, committee_id),"
    " liaison_position_id = COALESCE(?, liaison_position_id), covered_on = ?,"
    " version = version + 1, updated_at = NOW(3) WHERE id = ? AND version = ?";

struct cover {
    long long id, version, person_id, term_years;
    int kind; /* enum coverage_kind */
    const char *start_date, *name;
};

/* The first id of a statement with one bound text: DB_ROW with *id, DB_DONE, or an error. */
static int first_id(struct request *req, const char *sql, const char *text, long long *id)
{
    struct db_stmt *st = db_prepare(req->db, sql);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, text);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        *id = db_col_int(st, 0);
        db_reset(st);
    }
    return rc;
}

/* Adds the committee as an organisation of the roster, with its audit entry. */
static int add_committee(struct request *req, const struct cover *c, const json_t *org,
                         long long *committee_id)
{
    const char *region = json_string_value(json_object_get(org, "region"));
    const char *kind = json_string_value(json_object_get(org, "kind"));
    const char *name = c->name ? c->name
                               : arena_printf(req->arena, "%s妇女委员会",
                                              json_string_value(json_object_get(org, "name")));
    struct db_stmt *st = db_prepare(req->db, INSERT_COMMITTEE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, region);
    db_bind_int(st, region_level_of(region));
    db_bind_str(st, strcmp(kind, "economic") == 0 ? "enterprise" : "social_org");
    db_bind_str(st, name);
    db_bind_str(st, c->start_date);
    db_bind_int(st, c->term_years);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    *committee_id = db_insert_id(st);
    st = db_prepare(req->db, ORG_AUDIT_ROW);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, *committee_id);
    if ((rc = db_execute(st)) != DB_OK || (rc = db_fetch(st)) != DB_ROW)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    json_t *after = json_loads(db_col_text(st, 0, NULL), 0, NULL);
    db_reset(st);
    rc = cadre_audit(req, region, "create", "organisation", *committee_id, NULL, after);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* Opens the liaison officer's position in the federation of the organisation's region. */
static int add_liaison(struct request *req, const struct cover *c, const json_t *org,
                       long long *position_id)
{
    int rc;
    json_t *person = cadre_person_row(req, c->person_id, true, &rc);
    if (!person)
        return rc == DB_DONE ? http_error(req, 404, NULL, "person_id",
                                          "no cadre %lld in your jurisdiction", c->person_id)
                             : http_db_error(req, rc);
    json_decref(person);
    const char *region = json_string_value(json_object_get(org, "region"));
    long long federation = 0;
    rc = first_id(req, FEDERATION_OF, region, &federation);
    if (rc == DB_DONE)
        return http_error(req, 422, "no_federation", "id",
                          "region %s has no federation to hold the liaison officer's position",
                          region);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    struct position_org where;
    int status = position_org_load(req, federation, &where);
    if (status != 0)
        return status;
    struct position_input in = {.organisation_id = federation,
                                .role = org_name_index(cadre_roles, "liaison_officer"),
                                .start_date = c->start_date};
    return position_add(req, c->person_id, &in, &where, position_id);
}

/* Why the organisation cannot get what c asks for, as an answer; 0 when it can. */
static int refusal(struct request *req, const struct cover *c, const json_t *org)
{
    const char *state =
        json_string_value(json_object_get(json_object_get(org, "coverage"), "state"));
    const json_t *rec = json_object_get(org, "recommendation");
    const char *recommended = json_string_value(json_object_get(rec, "kind"));
    if (json_integer_value(json_object_get(org, "version")) != c->version)
        return http_error(req, 409, "stale_version", "version",
                          "the organisation was changed by someone else; reload and try again");
    if (strcmp(state, "committee") == 0)
        return http_error(req, 409, "has_committee", "kind",
                          "the organisation has its women's committee already");
    if (c->kind == COVER_LIAISON && strcmp(state, "liaison_officer") == 0)
        return http_error(req, 409, "has_liaison_officer", "kind",
                          "the organisation has its liaison officer already; to replace her, "
                          "give her position a successor");
    if (c->kind == COVER_COMMITTEE && strcmp(recommended, "liaison_officer") == 0)
        return http_error(req, 422, "not_warranted", "kind",
                          "kind: a women's committee needs %d or more female fixed employees; "
                          "appoint a liaison officer", COMMITTEE_THRESHOLD);
    if (c->kind == COVER_COMMITTEE && strcmp(recommended, "committee") != 0) {
        char failing[200] = "";
        size_t i;
        json_t *name;
        json_array_foreach(json_object_get(rec, "failing_conditions"), i, name)
            snprintf(failing + strlen(failing), sizeof failing - strlen(failing), "%s%s",
                     i ? ", " : "", json_string_value(name));
        return http_error(req, 422, "conditions_unmet", "kind",
                          "kind: the conditions for a committee do not hold yet (%s)", failing);
    }
    return 0;
}

static int cover_step(struct request *req, void *data)
{
    struct cover *c = data;
    int rc;
    json_t *before = new_org_row(req, c->id, true, true, &rc), *after = NULL;
    if (!before)
        return rc == DB_DONE ? new_org_not_found(req, "id", c->id) : http_db_error(req, rc);
    long long committee = 0, position = 0;
    int status = refusal(req, c, before);
    if (status == 0)
        status = c->kind == COVER_COMMITTEE ? add_committee(req, c, before, &committee)
                                            : add_liaison(req, c, before, &position);
    if (status != 0)
        goto done;
    struct db_stmt *st = db_prepare(req->db, SET_COVERAGE);
    if (!st) {
        status = http_db_error(req, db_failure(req->db));
        goto done;
    }
    db_bind_str(st, coverage_kinds[c->kind]);
    committee ? db_bind_int(st, committee) : db_bind_null(st);
    position ? db_bind_int(st, position) : db_bind_null(st);
    db_bind_str(st, c->start_date);
    db_bind_int(st, c->id);
    db_bind_int(st, c->version);
    rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) != 1)
        rc = DB_CONFLICT; /* cannot happen while the row is locked */
    if (rc == DB_OK) {
        after = new_org_row(req, c->id, false, true, &rc);
        rc = after ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
    }
    if (rc == DB_OK)
        rc = cadre_audit(req, json_string_value(json_object_get(before, "region")), "cover",
                         "new_org", c->id, before, after);
    if (rc != DB_OK)
        status = http_db_error(req, rc);
done:
    json_decref(before);
    json_decref(after);
    return status;
}

int new_org_cover(struct request *req)
{
    struct cover c = {.id = cadre_path_id(req, "id")};
    if (!c.id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    c.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    c.kind = field_enum(&f, "kind", coverage_kinds, REQUIRED);
    c.start_date = field_date(&f, "start_date", REQUIRED);
    if (c.kind == COVER_COMMITTEE) {
        c.term_years = field_int(&f, "term_years", 3, 5, 5, OPTIONAL);
        c.name = field_text(&f, "name", 1, 200, OPTIONAL);
        if (field_present(&f, "person_id"))
            field_fail(&f, "person_id", "invalid", "a committee elects its chair; give no person");
    } else if (c.kind == COVER_LIAISON) {
        c.person_id = field_int(&f, "person_id", 1, LLONG_MAX - 1, 0, REQUIRED);
    }
    char today[11];
    date_today(today);
    if (c.start_date && strcmp(c.start_date, today) > 0)
        field_fail(&f, "start_date", "invalid", "must not be in the future");
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, cover_step, &c);
    return status ? status : new_org_respond(req, 200, c.id);
}
