/* The result of a re-election: PUT /api/v1/reelections/{id}/result records who of the plan's
 * candidates was elected to which seat, with the votes and the date; the request kind
 * reelection_result takes it up its own chain (for a village, a filing with the township).
 * When that chain completes, the roster rolls over in the same transaction: the positions of
 * the old term end on the election date, the elected start the new term, and the
 * organisation's term (and so its next due date) is set. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "organisation.h"
#include "reelection.h"
#include "region_code.h"
#include "workflow.h"
#include "workflow_private.h"

static const char CLEAR_ELECTED[] =
    "UPDATE my_reelection_candidate SET elected_seat = NULL, votes = NULL"
    " WHERE reelection_id = ?";
static const char SET_ELECTED[] =
    "UPDATE my_reelection_candidate SET elected_seat = ?, votes = ? WHERE id = ?";
static const char SET_RESULT[] =
    "UPDATE my_reelection SET election_date = ?, result_request_id = ?, version = version + 1,"
    " updated_at = NOW(3) WHERE id = ?";

/* Positions of the old term that began after the election cannot end on its date. */
static const char STARTED_AFTER[] =
    "SELECT COUNT(*) FROM my_position WHERE organisation_id = ? AND end_date IS NULL"
    " AND start_date > ?";
static const char CURRENT_POSITIONS[] =
    "SELECT id, role, version FROM my_position WHERE organisation_id = ? AND end_date IS NULL"
    " ORDER BY FIELD(role, 'chair', 'congress_director') DESC, id";
static const char END_POSITION[] =
    "UPDATE my_position SET end_date = ?, end_reason = ?, version = version + 1,"
    " updated_at = NOW(3) WHERE id = ? AND version = ? AND end_date IS NULL";
static const char ORG_TERM[] =
    "SELECT id, region, term_start, term_years, village_committee_election, next_due, version"
    " FROM my_organisation WHERE id = ?";
/* A village federation that re-elected with its village committee is next due when its new
 * term ends; the next committee election date is not known yet. */
static const char SET_TERM[] =
    "UPDATE my_organisation SET term_start = ?, term_years = ?, village_committee_election = NULL,"
    " version = version + 1, updated_at = NOW(3) WHERE id = ?";

/* ------------------------------------------------------------------------------------------ */
/* PUT /api/v1/reelections/{id}/result */

struct elected {
    long long candidate_id, person_id, votes;
    int seat;
};

struct result {
    struct fields *f;
    long long id, version;
    const char *election_date;
    struct elected *elected;
    int count;
};

static void elected_read(struct fields *f, struct result *res)
{
    json_t *list = json_object_get(f->body, "elected");
    if (f->failed)
        return;
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 600) {
        field_fail(f, "elected", list ? "invalid" : "required",
                   "must be a list of who was elected, 1 to 600");
        return;
    }
    res->count = (int)json_array_size(list);
    res->elected = arena_zalloc(f->req->arena, (size_t)res->count * sizeof *res->elected);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        const char *name = arena_printf(f->req->arena, "elected[%zu]", i);
        struct fields sub = {.req = f->req, .body = item};
        struct elected *e = &res->elected[i];
        if (!json_is_object(item) ||
            field_present(&sub, "candidate_id") == field_present(&sub, "person_id")) {
            field_fail(f, name, "invalid", "is an object naming a candidate_id or a person_id");
            return;
        }
        e->candidate_id = field_int(&sub, "candidate_id", 1, LLONG_MAX - 1, 0, OPTIONAL);
        e->person_id = field_int(&sub, "person_id", 1, LLONG_MAX - 1, 0, OPTIONAL);
        e->seat = field_enum(&sub, "seat", reelection_seats, REQUIRED);
        e->votes = field_int(&sub, "votes", 0, 100000000, 0, REQUIRED);
        if (sub.failed) {
            json_t *error = json_object_get(f->req->body, "error");
            json_object_set_new(error, "field",
                                json_sprintf("%s.%s", name, json_string_value(json_object_get(
                                                                error, "field"))));
            f->failed = true;
            return;
        }
    }
}

/* Matches each elected to a candidate of the plan, and checks the seats. 0 or 422. */
static int match_candidates(struct request *req, struct result *res, const json_t *plan)
{
    const json_t *candidates = json_object_get(plan, "candidates");
    int taken[SEAT_COUNT] = {0};
    for (int i = 0; i < res->count; i++) {
        struct elected *e = &res->elected[i];
        size_t j;
        json_t *c;
        long long found = 0;
        json_array_foreach(candidates, j, c) {
            if ((e->candidate_id && json_member_int(c, "id") == e->candidate_id) ||
                (e->person_id && json_member_int(c, "person_id") == e->person_id))
                found = json_member_int(c, "id");
        }
        const char *field = arena_printf(req->arena, "elected[%d].%s", i,
                                         e->candidate_id ? "candidate_id" : "person_id");
        if (!found)
            return http_error(req, 422, "not_a_candidate", field,
                              "%s: %lld was not a candidate of the plan", field,
                              e->candidate_id ? e->candidate_id : e->person_id);
        e->candidate_id = found;
        for (int k = 0; k < i; k++)
            if (res->elected[k].candidate_id == found)
                return http_error(req, 422, "duplicate", field,
                                  "%s: elected twice (also elected[%d])", field, k);
        taken[e->seat]++;
    }
    const json_t *seats = json_object_get(plan, "seats");
    for (int s = 0; s < SEAT_COUNT; s++)
        if (taken[s] > json_member_int(seats, reelection_seats[s]))
            return http_error(req, 422, "too_many_elected", "elected",
                              "elected: %d elected to %s, for which the plan has %lld seats",
                              taken[s], reelection_seats[s],
                              json_member_int(seats, reelection_seats[s]));
    if (taken[SEAT_CHAIR] != 1)
        return http_error(req, 422, "invalid", "elected", "elected: name the one chair elected");
    return 0;
}

static int store_result(struct request *req, const struct result *res, long long request_id)
{
    struct db_stmt *st = db_prepare(req->db, CLEAR_ELECTED);
    if (!st)
        return db_failure(req->db);
    db_bind_int(st, res->id);
    int rc = db_execute(st);
    for (int i = 0; i < res->count && rc == DB_OK; i++) {
        if (!(st = db_prepare(req->db, SET_ELECTED)))
            return db_failure(req->db);
        db_bind_str(st, reelection_seats[res->elected[i].seat]);
        db_bind_int(st, res->elected[i].votes);
        db_bind_int(st, res->elected[i].candidate_id);
        rc = db_execute(st);
    }
    if (rc != DB_OK)
        return rc;
    if (!(st = db_prepare(req->db, SET_RESULT)))
        return db_failure(req->db);
    db_bind_str(st, res->election_date);
    db_bind_int(st, request_id);
    db_bind_int(st, res->id);
    return db_execute(st);
}

/* The result may be (re)recorded once the plan is approved, while its own request is not
 * under way or done. 0, or 409 with the answer set; *request_id the result's request (0: none
 * yet). */
static int result_editable(struct request *req, const json_t *plan, long long *request_id)
{
    if (strcmp(json_member_text(plan, "stage"), "election") != 0)
        return http_error(req, 409, "plan_not_approved", NULL,
                          "a result is recorded once the plan is approved (the re-election is "
                          "at stage %s)", json_member_text(plan, "stage"));
    *request_id = json_member_int(plan, "result_request_id");
    if (!*request_id)
        return 0;
    struct workflow_request r;
    int rc = workflow_load(req, *request_id, true, &r);
    if (rc != DB_ROW)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    if (!workflow_editable(&r))
        return http_error(req, 409, "not_editable", NULL,
                          "the result is %s: it is changed while a draft or returned", r.state);
    return 0;
}

static int result_step(struct request *req, void *data)
{
    struct result *res = data;
    int rc, status;
    json_t *plan = reelection_row(req, res->id, true, &rc);
    if (!plan)
        return rc == DB_DONE ? reelection_not_found(req, res->id) : http_db_error(req, rc);
    long long request_id = 0;
    if (json_member_int(plan, "version") != res->version)
        status = http_error(req, 409, "stale_version", "version",
                            "the re-election changed meanwhile (version %lld, not %lld)",
                            json_member_int(plan, "version"), res->version);
    else if ((status = result_editable(req, plan, &request_id)) == 0)
        status = match_candidates(req, res, plan);
    if (status == 0 && !request_id)
        status = workflow_create(req, &reelection_result_kind, res->id,
                                 json_member_int(plan, "organisation_id"),
                                 json_member_text(plan, "region"),
                                 (int)region_level_of(json_member_text(plan, "region")),
                                 &request_id);
    if (status == 0 && (rc = store_result(req, res, request_id)) == DB_OK) {
        json_t *after = reelection_row(req, res->id, false, &rc);
        if (after)
            rc = cadre_audit(req, json_member_text(plan, "region"), "record_result",
                             "reelection", res->id, plan, after);
        json_decref(after);
    }
    if (status == 0 && rc != DB_OK)
        status = http_db_error(req, rc);
    json_decref(plan);
    return status;
}

int reelection_record_result(struct request *req)
{
    struct result res = {.id = cadre_path_id(req, "id")};
    if (!res.id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    res.f = &f;
    res.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    res.election_date = field_date(&f, "election_date", REQUIRED);
    char today[11];
    date_today(today);
    if (res.election_date && strcmp(res.election_date, today) > 0)
        field_fail(&f, "election_date", "invalid", "the election is recorded once it was held");
    elected_read(&f, &res);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, result_step, &res);
    return status ? status : reelection_respond(req, 200, res.id);
}

/* ------------------------------------------------------------------------------------------ */
/* The result's request, and the roll-over when it completes */

static int result_submitting(struct request *req, const struct workflow_request *r)
{
    int rc;
    json_t *plan = reelection_row(req, r->subject_id, true, &rc);
    if (!plan)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    int status = 0;
    if (strcmp(json_member_text(plan, "stage"), "election") != 0 ||
        !json_member_text(plan, "election_date"))
        status = http_error(req, 409, "no_result", NULL, "no result of this re-election to submit");
    json_decref(plan);
    return status;
}

/* The organisation's term as stored, for the audit log. NULL with *rc on error. */
static json_t *org_term(struct request *req, long long id, int *rc)
{
    struct db_stmt *st = db_row_of(req->db, ORG_TERM, id, rc);
    if (!st)
        return NULL;
    json_t *row = json_object();
    static const char *const names[] = {"id", "region", "term_start", "term_years",
                                        "village_committee_election", "next_due", "version"};
    for (int i = 0; i < 7; i++)
        json_object_set_new(row, names[i], i == 0 || i == 3 || i == 6
                                               ? (db_col_null(st, i) ? json_null()
                                                                     : json_integer(db_col_int(st, i)))
                                               : db_col_null(st, i) ? json_null()
                                                                    : json_string(db_col_text(st, i, NULL)));
    db_reset(st);
    return row;
}

/* Sets the organisation's new term. 0 or a status. */
static int new_term(struct request *req, const json_t *plan, const char *date)
{
    long long org = json_member_int(plan, "organisation_id");
    int rc;
    json_t *before = org_term(req, org, &rc), *after = NULL;
    struct db_stmt *st = before ? db_prepare(req->db, SET_TERM) : NULL;
    if (before && !st)
        rc = db_failure(req->db);
    if (st) {
        db_bind_str(st, date);
        db_bind_int(st, json_member_int(plan, "term_years"));
        db_bind_int(st, org);
        if ((rc = db_execute(st)) == DB_OK && (after = org_term(req, org, &rc)))
            rc = cadre_audit(req, json_member_text(plan, "region"), "reelect", "organisation",
                             org, before, after);
    }
    json_decref(before);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
}

/* Ends the positions of the old term on date, but for keep (the old chair's, which the new
 * chair's position succeeds and so ends). 0 or a status. */
static int end_old_term(struct request *req, const json_t *plan, const char *date,
                        long long *old_chair)
{
    long long org = json_member_int(plan, "organisation_id");
    struct db_stmt *st = db_prepare(req->db, CURRENT_POSITIONS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, org);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    /* Read them all first: the statements below reuse the connection. */
    json_t *rows = json_array();
    while ((rc = db_fetch(st)) == DB_ROW)
        json_array_append_new(rows, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0),
                                              "role", db_col_text(st, 1, NULL), "version",
                                              (json_int_t)db_col_int(st, 2)));
    *old_chair = 0;
    size_t i;
    json_t *p;
    json_array_foreach(rows, i, p) {
        if (rc != DB_DONE)
            break;
        const char *role = json_member_text(p, "role");
        if (!*old_chair && (strcmp(role, "chair") == 0 || strcmp(role, "congress_director") == 0)) {
            *old_chair = json_member_int(p, "id");
            continue;
        }
        if (!(st = db_prepare(req->db, END_POSITION))) {
            rc = db_failure(req->db);
            break;
        }
        db_bind_str(st, date);
        db_bind_str(st, "换届");
        db_bind_int(st, json_member_int(p, "id"));
        db_bind_int(st, json_member_int(p, "version"));
        if ((rc = db_execute(st)) == DB_OK && db_affected(st) != 1)
            rc = DB_CONFLICT;
        if (rc == DB_OK) {
            json_t *after = json_pack("{s:s, s:s, s:I}", "end_date", date, "end_reason", "换届",
                                      "version", (json_int_t)json_member_int(p, "version") + 1);
            rc = cadre_audit(req, json_member_text(plan, "region"), "end", "position",
                             json_member_int(p, "id"), p, after);
            json_decref(after);
        }
        rc = rc == DB_OK ? DB_DONE : rc;
    }
    json_decref(rows);
    return rc == DB_DONE ? 0 : http_db_error(req, rc);
}

/* The elected start the new term: seat by seat in rank order, the chair succeeding the old. */
static int start_new_term(struct request *req, const json_t *plan, const char *date,
                          long long old_chair)
{
    struct position_org org;
    int status = position_org_load(req, json_member_int(plan, "organisation_id"), &org);
    bool congress = strcmp(json_member_text(plan, "kind"), "womens_congress") == 0;
    for (int seat = 0; seat < SEAT_COUNT && status == 0; seat++) {
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(plan, "candidates"), i, c) {
            const char *elected = json_member_text(c, "elected_seat");
            if (!elected || strcmp(elected, reelection_seats[seat]) != 0)
                continue;
            static const char *const roles[] = {"chair", "vice_chair", "vice_chair",
                                                "standing_member", "executive_member"};
            const char *role = seat == SEAT_CHAIR && congress ? "congress_director" : roles[seat];
            struct position_input in = {
                .organisation_id = org.id, .role = org_name_index(cadre_roles, role),
                .full_time = seat == SEAT_VICE_FULL,
                .in_two_committees = json_is_true(json_object_get(c, "in_two_committees")),
                .start_date = date, .succeeds_id = seat == SEAT_CHAIR ? old_chair : 0};
            long long person, position;
            if ((status = cadre_person_of(req, c, org.region, &person)) != 0 ||
                (status = position_add(req, person, &in, &org, &position)) != 0)
                break;
        }
    }
    return status;
}

/* Every position of the old term ends on the election date, the elected start the new term,
 * and the organisation's term begins: one transaction with the decision that completed the
 * result's chain. */
static int roll_over(struct request *req, long long id)
{
    int rc;
    json_t *plan = reelection_row(req, id, true, &rc);
    if (!plan)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    const char *date = json_member_text(plan, "election_date");
    struct db_stmt *st = db_prepare(req->db, STARTED_AFTER);
    int status = 0;
    long long old_chair = 0;
    if (!st) {
        status = http_db_error(req, db_failure(req->db));
        goto done;
    }
    db_bind_int(st, json_member_int(plan, "organisation_id"));
    db_bind_str(st, date);
    if ((rc = db_execute_row(st)) != DB_ROW) {
        status = http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
        goto done;
    }
    long long later = db_col_int(st, 0);
    db_reset(st);
    if (later > 0) {
        status = http_error(req, 409, "positions_after_election", NULL,
                            "%lld current positions began after the election of %s: end or "
                            "correct them before the roster rolls over", later, date);
        goto done;
    }
    /* A result names one chair (match_candidates), whose position succeeds the old chair's. */
    if ((status = new_term(req, plan, date)) == 0 &&
        (status = end_old_term(req, plan, date, &old_chair)) == 0)
        status = start_new_term(req, plan, date, old_chair);
done:
    json_decref(plan);
    return status;
}

static int result_finished(struct request *req, const struct workflow_request *r,
                           const char *outcome)
{
    if (strcmp(outcome, "completed") != 0) /* a new result may be recorded */
        return reelection_set_stage(req, r->subject_id, "election",
                                    arena_printf(req->arena, "result_%s", outcome), true);
    int status = roll_over(req, r->subject_id);
    return status ? status
                  : reelection_set_stage(req, r->subject_id, "done", "result_completed", false);
}

const struct workflow_kind reelection_result_kind = {
    .name = "reelection_result", .submitting = result_submitting, .finished = result_finished};
