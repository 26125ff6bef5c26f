/* The request kinds new_org_committee and new_org_liaison: a proposal to cover a new
 * organisation (new_org_coverage.c) walks its chain, and when the chain completes the coverage
 * is recorded in the transaction of the last approval: the committee becomes an organisation of
 * the roster with its term (and its chair's position, when the proposal named her), or the
 * liaison officer's position opens in the federation of the region (a new person entered on the
 * roll first). A rejected or withdrawn proposal leaves the organisation uncovered. The rules are
 * checked when the proposal is made, at each submission and again on completion: the
 * organisation may have changed meanwhile. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "http.h"
#include "new_org_coverage.h"
#include "new_org_rules.h"
#include "new_orgs.h"
#include "organisation.h"
#include "region_code.h"
#include "workflow.h"
#include "workflow_private.h"

static const char INSERT_COMMITTEE[] =
    "INSERT INTO my_organisation (region, level, kind, host_kind, name, term_start, term_years)"
    " VALUES (?, ?, 'womens_committee', ?, ?, ?, ?)";

static const char ORG_AUDIT_ROW[] =
    "SELECT JSON_OBJECT('id', id, 'region', region, 'level', level, 'kind', kind,"
    " 'host_kind', host_kind, 'name', name, 'term_start', term_start,"
    " 'term_years', term_years, 'version', version) FROM my_organisation WHERE id = ?";

static const char SET_COVERAGE[] =
    "UPDATE my_new_org SET coverage = ?, committee_id = COALESCE(?, committee_id),"
    " liaison_position_id = COALESCE(?, liaison_position_id), covered_on = ?,"
    " version = version + 1, updated_at = NOW(3) WHERE id = ? AND version = ?";

static const char SET_STAGE[] =
    "UPDATE my_new_org_coverage_request SET stage = ?, committee_id = ?,"
    " liaison_position_id = ?, version = version + 1, updated_at = NOW(3) WHERE id = ?";

int coverage_refusal(struct request *req, int kind, const json_t *org)
{
    const char *state = json_member_text(json_object_get(org, "coverage"), "state");
    const json_t *rec = json_object_get(org, "recommendation");
    const char *recommended = json_member_text(rec, "kind");
    if (strcmp(state, "committee") == 0)
        return http_error(req, 409, "has_committee", "kind",
                          kind == COVER_LIAISON
                              ? "the organisation has its women's committee already: it gets no "
                                "liaison officer"
                              : "the organisation has its women's committee already");
    if (kind == COVER_LIAISON && strcmp(state, "liaison_officer") == 0)
        return http_error(req, 409, "has_liaison_officer", "kind",
                          "the organisation has its liaison officer already; to replace her, "
                          "give her position a successor");
    if (kind == COVER_COMMITTEE && strcmp(recommended, "liaison_officer") == 0)
        return http_error(req, 422, "not_warranted", "kind",
                          "kind: a women's committee needs %d or more female fixed employees; "
                          "appoint a liaison officer", COMMITTEE_THRESHOLD);
    if (kind == COVER_COMMITTEE && strcmp(recommended, "committee") != 0) {
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

/* ------------------------------------------------------------------------------------------ */
/* Recording the coverage */

/* Adds the committee as an organisation of the roster, with its audit entry, and its chair's
 * position when the proposal names one. */
static int add_committee(struct request *req, const json_t *p, const json_t *org,
                         long long *committee_id)
{
    const char *region = json_member_text(org, "region");
    const char *name = json_member_text(p, "name");
    if (!name)
        name = arena_printf(req->arena, "%s妇女委员会", json_member_text(org, "name"));
    struct db_stmt *st = db_prepare(req->db, INSERT_COMMITTEE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, region);
    db_bind_int(st, region_level_of(region));
    db_bind_str(st, strcmp(json_member_text(org, "kind"), "economic") == 0 ? "enterprise"
                                                                             : "social_org");
    db_bind_str(st, name);
    db_bind_str(st, json_member_text(p, "start_date"));
    db_bind_int(st, json_member_int(p, "term_years"));
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    *committee_id = db_insert_id(st);
    if (!(st = db_row_of(req->db, ORG_AUDIT_ROW, *committee_id, &rc)))
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    json_t *after = json_loads(db_col_text(st, 0, NULL), 0, NULL);
    db_reset(st);
    rc = cadre_audit(req, region, "create", "organisation", *committee_id, NULL, after);
    json_decref(after);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    long long chair = json_member_int(p, "chair_person_id"), position;
    if (!chair)
        return 0;
    struct position_org where;
    int status = position_org_load(req, *committee_id, &where);
    struct position_input in = {.organisation_id = *committee_id,
                                .role = org_name_index(cadre_roles, "chair"),
                                .start_date = json_member_text(p, "start_date")};
    return status ? status : position_add(req, chair, &in, &where, &position);
}

/* Opens the liaison officer's position in the federation the request was made to, entering a
 * new person on the roll of the organisation's region first. */
static int add_liaison(struct request *req, const json_t *p, const json_t *org,
                       long long federation, long long *position_id)
{
    long long person;
    int status = cadre_person_of(req, p, json_member_text(org, "region"), &person);
    struct position_org where;
    if (status || (status = position_org_load(req, federation, &where)) != 0)
        return status;
    struct position_input in = {.organisation_id = federation,
                                .role = org_name_index(cadre_roles, "liaison_officer"),
                                .start_date = json_member_text(p, "start_date")};
    return position_add(req, person, &in, &where, position_id);
}

/* Sets the new organisation's coverage after add_committee or add_liaison, audited. */
static int set_coverage(struct request *req, const json_t *p, const json_t *before,
                        long long committee, long long position)
{
    long long id = json_member_int(before, "id");
    struct db_stmt *st = db_prepare(req->db, SET_COVERAGE);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, json_member_text(p, "kind"));
    committee ? db_bind_int(st, committee) : db_bind_null(st);
    position ? db_bind_int(st, position) : db_bind_null(st);
    db_bind_str(st, json_member_text(p, "start_date"));
    db_bind_int(st, id);
    db_bind_int(st, json_member_int(before, "version"));
    int rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) != 1)
        rc = DB_CONFLICT; /* cannot happen while the row is locked */
    json_t *after = rc == DB_OK ? new_org_row(req, id, false, true, &rc) : NULL;
    if (after)
        rc = cadre_audit(req, json_member_text(before, "region"), "cover", "new_org", id, before,
                         after);
    json_decref(after);
    return rc == DB_DONE ? DB_ERROR : rc;
}

/* Records the coverage p proposes for the new organisation r is about. 0 or a status. */
static int cover(struct request *req, const struct workflow_request *r, const json_t *p,
                 long long *committee, long long *position)
{
    int rc;
    json_t *org = new_org_row(req, r->subject_id, true, true, &rc);
    if (!org)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    int kind = strcmp(json_member_text(p, "kind"), "committee") == 0 ? COVER_COMMITTEE
                                                                      : COVER_LIAISON;
    int status = coverage_refusal(req, kind, org);
    if (status == 0)
        status = kind == COVER_COMMITTEE
                     ? add_committee(req, p, org, committee)
                     : add_liaison(req, p, org, r->organisation_id, position);
    if (status == 0 && (rc = set_coverage(req, p, org, *committee, *position)) != DB_OK)
        status = http_db_error(req, rc);
    json_decref(org);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* The kinds' callbacks */

/* A returned proposal is submitted again only while the rules still allow it. */
static int coverage_submitting(struct request *req, const struct workflow_request *r)
{
    int rc;
    json_t *p = coverage_request_row(req, r->id, 0, true, &rc);
    json_t *org = p ? new_org_row(req, r->subject_id, true, true, &rc) : NULL;
    int status = org ? coverage_refusal(req,
                                        strcmp(json_member_text(p, "kind"), "committee") == 0
                                            ? COVER_COMMITTEE
                                            : COVER_LIAISON,
                                        org)
                     : http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    json_decref(p);
    json_decref(org);
    return status;
}

static int coverage_finished(struct request *req, const struct workflow_request *r,
                             const char *outcome)
{
    int rc;
    json_t *before = coverage_request_row(req, r->id, 0, true, &rc), *after = NULL;
    if (!before)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    bool completed = strcmp(outcome, "completed") == 0;
    long long committee = 0, position = 0;
    int status = completed ? cover(req, r, before, &committee, &position) : 0;
    struct db_stmt *st = status ? NULL : db_prepare(req->db, SET_STAGE);
    if (status == 0 && !st)
        status = http_db_error(req, db_failure(req->db));
    if (st) {
        db_bind_str(st, completed ? "approved" : outcome);
        committee ? db_bind_int(st, committee) : db_bind_null(st);
        position ? db_bind_int(st, position) : db_bind_null(st);
        db_bind_int(st, json_member_int(before, "id"));
        rc = db_execute(st);
        if (rc == DB_OK && (after = coverage_request_row(req, r->id, 0, false, &rc)))
            rc = cadre_audit(req, r->region, completed ? "approve" : outcome,
                             "new_org_coverage_request", json_member_int(before, "id"), before,
                             after);
        if (rc != DB_OK)
            status = http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    }
    json_decref(before);
    json_decref(after);
    return status;
}

const struct workflow_kind new_org_committee_kind = {
    .name = "new_org_committee", .submitting = coverage_submitting,
    .finished = coverage_finished};
const struct workflow_kind new_org_liaison_kind = {
    .name = "new_org_liaison", .submitting = coverage_submitting,
    .finished = coverage_finished};
