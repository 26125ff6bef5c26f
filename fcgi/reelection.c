/* Re-election plans (换届方案): POST /api/v1/reelections (a draft for an organisation of the
 * caller's jurisdiction), GET and PATCH /api/v1/reelections/{id}; and the request kind
 * reelection_plan, whose chain decides the plan. A plan names the date, the length of the new
 * term (3 to 5 years), the seats, and candidates from the roster or entered new. Every write is
 * one transaction with its audit entries; a refused request writes nothing. */
#include "reelection.h"

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
#include "json_memory.h"
#include "privacy.h"
#include "region_code.h"
#include "session.h"
#include "workflow.h"
#include "workflow_private.h"

enum { MAX_CANDIDATES = 500 };

const char *const reelection_seats[] = {"chair", "vice_chair_full_time", "vice_chair_part_time",
                                        "standing_member", "executive_member", NULL};
/* The most of each seat a plan may have. */
static const int seat_max[] = {1, 10, 20, 50, 500};

#define REELECTION_COLUMNS                                                                     \
    "SELECT e.id, e.organisation_id, o.name, e.region, o.level, o.kind,"                      \
    " o.village_committee_election, e.stage, e.planned_date, e.term_years, e.seats_chair,"    \
    " e.seats_vice_full, e.seats_vice_part, e.seats_standing, e.seats_executive, e.note,"     \
    " e.plan_request_id, e.result_request_id, e.election_date, e.version"                     \
    " FROM my_reelection e JOIN my_organisation o ON o.id = e.organisation_id WHERE e.id = ?"
static const char REELECTION_ROW[] = REELECTION_COLUMNS;
static const char REELECTION_ROW_LOCKED[] = REELECTION_COLUMNS " FOR UPDATE";

static const char CANDIDATES_OF[] =
    "SELECT id, seq, person_id, name, person_data, seat, in_two_committees, elected_seat, votes"
    " FROM my_reelection_candidate WHERE reelection_id = ? ORDER BY seq";

static const char ORG_FOR_PLAN[] =
    "SELECT region, level, kind FROM my_organisation WHERE id = ?";

static const char PERSON_FOR_CANDIDATE[] =
    "SELECT region, name, id_number FROM my_person WHERE id = ?";

/* due_on keeps when the organisation was due, for the on-time rate of the oversight. */
static const char INSERT_REELECTION[] =
    "INSERT INTO my_reelection (organisation_id, region, due_on, planned_date, term_years,"
    " seats_chair, seats_vice_full, seats_vice_part, seats_standing, seats_executive, note)"
    " SELECT id, region, next_due, ?, ?, ?, ?, ?, ?, ?, ? FROM my_organisation WHERE id = ?";

static const char UPDATE_REELECTION[] =
    "UPDATE my_reelection SET planned_date = ?, term_years = ?, seats_chair = ?,"
    " seats_vice_full = ?, seats_vice_part = ?, seats_standing = ?, seats_executive = ?,"
    " note = ?, version = version + 1, updated_at = NOW(3) WHERE id = ?";

static const char SET_PLAN_REQUEST[] =
    "UPDATE my_reelection SET plan_request_id = ? WHERE id = ?";

static const char SET_STAGE[] =
    "UPDATE my_reelection SET stage = ?, result_request_id = IF(?, NULL, result_request_id),"
    " version = version + 1, updated_at = NOW(3) WHERE id = ?";

static const char DELETE_CANDIDATES[] =
    "DELETE FROM my_reelection_candidate WHERE reelection_id = ?";

static const char INSERT_CANDIDATE[] =
    "INSERT INTO my_reelection_candidate (reelection_id, region, seq, person_id, name,"
    " person_data, seat, in_two_committees) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

/* ------------------------------------------------------------------------------------------ */
/* Reading and showing */

int reelection_not_found(struct request *req, long long id)
{
    return http_error(req, 404, NULL, "id", "no re-election %lld in your jurisdiction", id);
}

static json_t *candidate_json(struct db_stmt *st)
{
    size_t len;
    const char *data = db_col_text(st, 4, &len);
    json_t *person = data ? json_loadb(data, len, 0, NULL) : NULL;
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
                     (json_int_t)db_col_int(st, 0), "seq", (json_int_t)db_col_int(st, 1),
                     "person_id", json_column_int(st, 2), "name", json_column_text(st, 3),
                     "person", person ? person : json_null(), "seat", json_column_text(st, 5),
                     "in_two_committees", db_col_int(st, 6) != 0, "elected_seat",
                     json_column_text(st, 7), "votes", json_column_int(st, 8));
}

static json_t *candidates_of(struct request *req, long long id, int *rc)
{
    return json_rows_of(req->db, CANDIDATES_OF, id, candidate_json, rc);
}

json_t *reelection_row(struct request *req, long long id, bool lock, int *rc)
{
    struct db_stmt *st = db_row_of(req->db, lock ? REELECTION_ROW_LOCKED : REELECTION_ROW, id, rc);
    if (!st)
        return NULL;
    json_t *seats = json_object();
    for (int i = 0; i < SEAT_COUNT; i++)
        json_object_set_new(seats, reelection_seats[i], json_integer(db_col_int(st, 10 + i)));
    long long level = db_col_int(st, 4);
    json_t *row = json_pack(
        "{s:I, s:I, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:I}", "id",
        (json_int_t)id, "organisation_id", (json_int_t)db_col_int(st, 1), "organisation_name",
        json_column_text(st, 2), "region", json_column_text(st, 3), "level",
        region_level_name(level >= 1 && level <= 5 ? (enum region_level)level : LEVEL_NONE),
        "kind", json_column_text(st, 5), "village_committee_election", json_column_text(st, 6),
        "stage", json_column_text(st, 7), "planned_date", json_column_text(st, 8), "term_years",
        (json_int_t)db_col_int(st, 9), "seats", seats, "note", json_column_text(st, 15),
        "plan_request_id", json_column_int(st, 16), "result_request_id", json_column_int(st, 17),
        "election_date", json_column_text(st, 18), "version", (json_int_t)db_col_int(st, 19));
    db_reset(st);
    json_t *candidates = candidates_of(req, id, rc);
    if (!candidates) {
        json_decref(row);
        return NULL;
    }
    json_object_set_new(row, "candidates", candidates);
    *rc = DB_ROW;
    return row;
}

/* What the plan would better change, without being refused for it (DOMAIN.md): a village's
 * federation re-elects with its village committee, and its chair sits on the two committees. */
static json_t *warnings_of(const json_t *plan)
{
    json_t *warnings = json_array();
    if (strcmp(json_member_text(plan, "level"), "village") != 0)
        return warnings;
    const char *village = json_member_text(plan, "village_committee_election");
    if (village && strcmp(village, json_member_text(plan, "planned_date")) != 0)
        json_array_append_new(
            warnings, json_pack("{s:s, s:s, s:s}", "code", "not_with_village_committee", "field",
                                "planned_date", "message",
                                "the village (community) committee is elected on another date"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(plan, "candidates"), i, c) {
        if (strcmp(json_member_text(c, "seat"), "chair") == 0 &&
            !json_is_true(json_object_get(c, "in_two_committees")))
            json_array_append_new(
                warnings,
                json_pack("{s:s, s:o, s:s}", "code", "chair_not_in_two_committees", "field",
                          json_sprintf("candidates[%zu].in_two_committees", i), "message",
                          "a village federation's chair should sit on the two committees"));
    }
    return warnings;
}

/* The candidates as a caller may see them: personal data of new ones masked unless allowed. */
static void mask_candidates(json_t *candidates, bool allowed)
{
    size_t i;
    json_t *c;
    json_array_foreach(candidates, i, c) {
        json_t *person = json_object_get(c, "person");
        if (!json_is_object(person))
            continue;
        json_object_set_new(person, "id_number",
                            privacy_id_number_json(json_member_text(person, "id_number"), allowed));
        json_object_set_new(person, "mobile",
                            privacy_mobile_json(json_member_text(person, "mobile"), allowed));
    }
}

/* Adds the request of member (plan_request_id, result_request_id) with its history as name. */
static int add_request(struct request *req, json_t *plan, const char *member, const char *name)
{
    long long id = json_member_int(plan, member);
    int rc = DB_ROW;
    json_t *r = id ? workflow_request_json(req, id, true, &rc) : json_null();
    if (!r)
        return rc == DB_DONE ? DB_ERROR : rc; /* a plan sees its own requests */
    json_object_set_new(plan, name, r);
    return DB_OK;
}

int reelection_respond(struct request *req, int status, long long id)
{
    int rc;
    json_t *plan = reelection_row(req, id, false, &rc);
    if (!plan)
        return rc == DB_DONE ? reelection_not_found(req, id) : http_db_error(req, rc);
    mask_candidates(json_object_get(plan, "candidates"),
                    privacy_allowed(req->cfg, req->session->who.roles));
    json_object_set_new(plan, "warnings", warnings_of(plan));
    if ((rc = add_request(req, plan, "plan_request_id", "plan_request")) != DB_OK ||
        (rc = add_request(req, plan, "result_request_id", "result_request")) != DB_OK) {
        json_decref(plan);
        return http_db_error(req, rc);
    }
    return http_json(req, status, plan);
}

int reelection_get(struct request *req)
{
    long long id = cadre_path_id(req, "id");
    return id ? reelection_respond(req, 200, id) : req->status;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading a plan from a body */

struct candidate_input {
    long long person_id; /* 0: entered new, in person */
    struct person_values person;
    const char *name, *id_number; /* a roster person's, read with the checks */
    int seat;
    bool in_two_committees;
};

struct plan_input {
    long long organisation_id, term_years;
    const char *planned_date, *note;
    int seats[SEAT_COUNT];
    struct candidate_input *candidates;
    int candidate_count;
    bool seats_given, candidates_given, note_given;
};

/* The answer of a failed read of a member inside name (an object, or an element of a list):
 * its field becomes "name.field". */
static void prefix_error_field(struct request *req, const char *name)
{
    json_t *error = json_object_get(req->body, "error");
    const char *field = json_string_value(json_object_get(error, "field"));
    json_object_set_new(error, "field",
                        field ? json_sprintf("%s.%s", name, field) : json_string(name));
}

static void seats_read(struct fields *f, struct plan_input *in)
{
    json_t *seats = json_object_get(f->body, "seats");
    in->seats_given = seats != NULL;
    if (f->failed || !seats)
        return;
    if (!json_is_object(seats)) {
        field_fail(f, "seats", "invalid", "must be an object with the number of each seat");
        return;
    }
    struct fields sub = {.req = f->req, .body = seats};
    for (int i = 0; i < SEAT_COUNT; i++)
        in->seats[i] = (int)field_int(&sub, reelection_seats[i], 0, seat_max[i], i == SEAT_CHAIR,
                                      OPTIONAL);
    if (sub.failed) {
        f->failed = true;
        prefix_error_field(f->req, "seats");
    } else if (in->seats[SEAT_CHAIR] != 1) {
        field_fail(f, "seats", "invalid", "a plan elects one chair");
    }
}

/* Reads one candidate from sub, whose body is the candidate's object. */
static void candidate_read(struct fields *sub, struct candidate_input *c)
{
    c->seat = field_enum(sub, "seat", reelection_seats, REQUIRED);
    c->in_two_committees = field_bool(sub, "in_two_committees", false, OPTIONAL);
    json_t *person = json_object_get(sub->body, "person");
    if (!sub->failed && field_present(sub, "person_id") == (person != NULL))
        field_fail(sub, "person_id", "required",
                   "a candidate is a person_id of the roster or a new person, one of the two");
    if (!person) {
        c->person_id = field_int(sub, "person_id", 1, LLONG_MAX - 1, 0, REQUIRED);
        return;
    }
    if (!sub->failed && !json_is_object(person))
        field_fail(sub, "person", "invalid", "must be an object with the person's record");
    if (sub->failed)
        return;
    struct fields p = {.req = sub->req, .body = person};
    c->person = (struct person_values){.ethnicity = "汉族", .occupation = "other"};
    cadre_person_read(&p, &c->person, REQUIRED);
    cadre_person_check(&p, &c->person);
    if (p.failed) {
        sub->failed = true;
        prefix_error_field(sub->req, "person");
    }
    c->name = c->person.name;
    c->id_number = c->person.id_number;
}

static void candidates_read(struct fields *f, struct plan_input *in)
{
    json_t *list = json_object_get(f->body, "candidates");
    in->candidates_given = list != NULL;
    if (f->failed || !list)
        return;
    if (!json_is_array(list) || json_array_size(list) > MAX_CANDIDATES) {
        field_fail(f, "candidates", "invalid", "must be a list of at most %d candidates",
                   MAX_CANDIDATES);
        return;
    }
    in->candidate_count = (int)json_array_size(list);
    in->candidates = arena_zalloc(f->req->arena, (size_t)(in->candidate_count + 1) *
                                                     sizeof *in->candidates);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        const char *name = arena_printf(f->req->arena, "candidates[%zu]", i);
        if (!json_is_object(item)) {
            field_fail(f, name, "invalid", "a candidate is an object");
            return;
        }
        struct fields sub = {.req = f->req, .body = item};
        candidate_read(&sub, &in->candidates[i]);
        if (sub.failed) {
            f->failed = true;
            prefix_error_field(f->req, name);
            return;
        }
    }
}

/* Reads the members of a plan that are present; p: whether a new plan's are required. */
static void plan_read(struct fields *f, struct plan_input *in, enum presence p)
{
    if (field_present(f, "planned_date") || p == REQUIRED)
        in->planned_date = field_date(f, "planned_date", REQUIRED);
    if (field_present(f, "term_years") || p == REQUIRED)
        in->term_years = field_int(f, "term_years", 3, 5, 0, REQUIRED);
    if ((in->note_given = field_present(f, "note")))
        in->note = field_text(f, "note", 0, 1000, OPTIONAL);
    seats_read(f, in);
    if (!f->failed && p == REQUIRED && !in->seats_given)
        field_fail(f, "seats", "required", "is required");
    candidates_read(f, in);
    if (!f->failed && p == REQUIRED && !in->candidates_given)
        field_fail(f, "candidates", "required", "is required");
    char today[11];
    date_today(today);
    if (in->planned_date && strcmp(in->planned_date, today) < 0)
        field_fail(f, "planned_date", "invalid", "lies in the past (today is %s)", today);
}

/* ------------------------------------------------------------------------------------------ */
/* Checking a plan against the database */

/* The organisation a plan is for, as the caller sees it. */
struct plan_org {
    long long id;
    char region[13];
    int level;
};

static int plan_org_load(struct request *req, long long id, struct plan_org *org)
{
    struct db_stmt *st = db_prepare(req->db, ORG_FOR_PLAN);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, id);
    int rc = db_execute_row(st);
    if (rc == DB_DONE)
        return http_error(req, 404, NULL, "organisation_id",
                          "no organisation %lld in your jurisdiction", id);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    org->id = id;
    snprintf(org->region, sizeof org->region, "%s", db_col_text(st, 0, NULL));
    org->level = (int)db_col_int(st, 1);
    db_reset(st);
    return 0;
}

/* Finds each roster candidate in the caller's view, on the roll within the organisation's
 * region. 0, or 404 naming the candidate. */
static int roster_candidates(struct request *req, const struct plan_input *in,
                             const struct plan_org *org)
{
    for (int i = 0; i < in->candidate_count; i++) {
        struct candidate_input *c = &in->candidates[i];
        if (!c->person_id)
            continue;
        struct db_stmt *st = db_prepare(req->db, PERSON_FOR_CANDIDATE);
        if (!st)
            return http_db_error(req, db_failure(req->db));
        db_bind_int(st, c->person_id);
        int rc = db_execute_row(st);
        if (rc != DB_ROW && rc != DB_DONE)
            return http_db_error(req, rc);
        if (rc == DB_DONE || !region_within(db_col_text(st, 0, NULL), org->region)) {
            db_reset(st);
            return http_error(req, 404, NULL,
                              arena_printf(req->arena, "candidates[%d].person_id", i),
                              "no cadre %lld on the roll in the organisation's region %s",
                              c->person_id, org->region);
        }
        c->name = arena_strdup(req->arena, db_col_text(st, 1, NULL));
        c->id_number = arena_strdup(req->arena, db_col_text(st, 2, NULL));
        db_reset(st);
    }
    return 0;
}

/* The rules across a plan: no person twice, at least as many candidates as seats. count is
 * the number of candidates (the stored ones' when the body names none). */
static void plan_rules(struct fields *f, const struct plan_input *in, int count)
{
    for (int i = 0; i < in->candidate_count && !f->failed; i++)
        for (int j = 0; j < i && !f->failed; j++)
            if (strcmp(in->candidates[i].id_number, in->candidates[j].id_number) == 0)
                field_fail(f, arena_printf(f->req->arena, "candidates[%d]", i), "duplicate",
                           "is the same person as candidates[%d]", j);
    int seats = 0;
    for (int i = 0; i < SEAT_COUNT; i++)
        seats += in->seats[i];
    if (count < seats)
        field_fail(f, "candidates", "too_few_candidates",
                   "%d candidates for %d seats: a plan has at least as many candidates as seats",
                   count, seats);
}

static int insert_candidates(struct request *req, long long id, const char *region,
                             const struct plan_input *in)
{
    for (int i = 0; i < in->candidate_count; i++) {
        const struct candidate_input *c = &in->candidates[i];
        struct db_stmt *st = db_prepare(req->db, INSERT_CANDIDATE);
        if (!st)
            return db_failure(req->db);
        char *data = c->person_id ? NULL : cadre_person_data(&c->person);
        db_bind_int(st, id);
        db_bind_str(st, region);
        db_bind_int(st, i + 1);
        if (c->person_id)
            db_bind_int(st, c->person_id);
        else
            db_bind_null(st);
        db_bind_str(st, c->name);
        db_bind_str(st, data);
        db_bind_str(st, reelection_seats[c->seat]);
        db_bind_int(st, c->in_two_committees);
        int rc = db_execute(st);
        json_memory_free(data);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

static void bind_plan(struct db_stmt *st, const struct plan_input *in)
{
    db_bind_str(st, in->planned_date);
    db_bind_int(st, in->term_years);
    for (int i = 0; i < SEAT_COUNT; i++)
        db_bind_int(st, in->seats[i]);
    db_bind_str(st, in->note);
}

/* Records the change of re-election id in the audit log, before (NULL: a creation) and after
 * as stored. DB_OK or an error. */
static int audit_change(struct request *req, long long id, const char *action, json_t *before)
{
    int rc;
    json_t *after = reelection_row(req, id, false, &rc);
    if (!after)
        return rc == DB_DONE ? DB_ERROR : rc;
    rc = cadre_audit(req, json_member_text(after, "region"), action, "reelection", id, before,
                     after);
    json_decref(after);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/reelections */

struct create {
    struct fields *f;
    struct plan_input in;
    long long id;
};

static int create_step(struct request *req, void *data)
{
    struct create *c = data;
    struct plan_org org;
    int status = plan_org_load(req, c->in.organisation_id, &org);
    if (status || (status = roster_candidates(req, &c->in, &org)))
        return status;
    plan_rules(c->f, &c->in, c->in.candidate_count);
    if ((status = fields_end(c->f)) != 0)
        return status;
    struct db_stmt *st = db_prepare(req->db, INSERT_REELECTION);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    bind_plan(st, &c->in);
    db_bind_int(st, org.id);
    int rc = db_execute(st);
    if (rc == DB_DUPLICATE)
        return http_error(req, 409, "open_reelection", "organisation_id",
                          "the organisation has a re-election under way already");
    if (rc != DB_OK)
        return http_db_error(req, rc);
    c->id = db_insert_id(st);
    long long request_id;
    if ((rc = insert_candidates(req, c->id, org.region, &c->in)) != DB_OK)
        return http_db_error(req, rc);
    if ((status = workflow_create(req, &reelection_plan_kind, c->id, org.id, org.region,
                                  org.level, &request_id)) != 0)
        return status;
    if (!(st = db_prepare(req->db, SET_PLAN_REQUEST)))
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, request_id);
    db_bind_int(st, c->id);
    if ((rc = db_execute(st)) == DB_OK)
        rc = audit_change(req, c->id, "create", NULL);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

int reelection_create(struct request *req)
{
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    struct create c = {.f = &f};
    c.in.organisation_id = field_int(&f, "organisation_id", 1, LLONG_MAX - 1, 0, REQUIRED);
    plan_read(&f, &c.in, REQUIRED);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, create_step, &c);
    if (status)
        return status;
    http_header(req, "Location", arena_printf(req->arena, "/api/v1/reelections/%lld", c.id));
    return reelection_respond(req, 201, c.id);
}

/* ------------------------------------------------------------------------------------------ */
/* PATCH /api/v1/reelections/{id} */

struct update {
    struct fields *f;
    struct plan_input in;
    long long id, version;
};

/* The plan as stored under what the body did not name. */
static void plan_merge(struct plan_input *in, const json_t *row)
{
    if (!in->planned_date)
        in->planned_date = json_member_text(row, "planned_date");
    if (!in->term_years)
        in->term_years = json_member_int(row, "term_years");
    if (!in->note_given)
        in->note = json_member_text(row, "note");
    if (!in->seats_given)
        for (int i = 0; i < SEAT_COUNT; i++)
            in->seats[i] = (int)json_member_int(json_object_get(row, "seats"),
                                               reelection_seats[i]);
}

static int update_step(struct request *req, void *data)
{
    struct update *u = data;
    int rc, status = 0;
    json_t *before = reelection_row(req, u->id, true, &rc);
    if (!before)
        return rc == DB_DONE ? reelection_not_found(req, u->id) : http_db_error(req, rc);
    struct workflow_request r;
    if (json_member_int(before, "version") != u->version) {
        status = http_error(req, 409, "stale_version", "version",
                            "the plan changed meanwhile (version %lld, not %lld); reload it",
                            json_member_int(before, "version"), u->version);
        goto done;
    }
    rc = workflow_load(req, json_member_int(before, "plan_request_id"), true, &r);
    if (rc != DB_ROW) {
        status = http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
        goto done;
    }
    if (!workflow_editable(&r)) {
        status = http_error(req, 409, "not_editable", NULL,
                            "the plan is %s: only a draft or a returned plan is changed",
                            r.state);
        goto done;
    }
    struct plan_org org = {.id = json_member_int(before, "organisation_id"),
                           .level = r.org_level};
    snprintf(org.region, sizeof org.region, "%s", r.region);
    plan_merge(&u->in, before);
    if ((status = roster_candidates(req, &u->in, &org)) != 0)
        goto done;
    plan_rules(u->f, &u->in,
               u->in.candidates_given ? u->in.candidate_count
                                      : (int)json_array_size(json_object_get(before,
                                                                             "candidates")));
    if ((status = fields_end(u->f)) != 0)
        goto done;
    struct db_stmt *st = db_prepare(req->db, UPDATE_REELECTION);
    if (!st) {
        status = http_db_error(req, db_failure(req->db));
        goto done;
    }
    bind_plan(st, &u->in);
    db_bind_int(st, u->id);
    rc = db_execute(st);
    if (rc == DB_OK && u->in.candidates_given) {
        if (!(st = db_prepare(req->db, DELETE_CANDIDATES))) {
            rc = db_failure(req->db);
        } else {
            db_bind_int(st, u->id);
            if ((rc = db_execute(st)) == DB_OK)
                rc = insert_candidates(req, u->id, org.region, &u->in);
        }
    }
    if (rc == DB_OK)
        rc = audit_change(req, u->id, "update", before);
    if (rc != DB_OK)
        status = http_db_error(req, rc);
done:
    json_decref(before);
    return status;
}

int reelection_update(struct request *req)
{
    struct update u = {.id = cadre_path_id(req, "id")};
    if (!u.id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    u.f = &f;
    u.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    plan_read(&f, &u.in, OPTIONAL);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, update_step, &u);
    return status ? status : reelection_respond(req, 200, u.id);
}

/* ------------------------------------------------------------------------------------------ */
/* The plan's request: its chain decides the plan */

int reelection_set_stage(struct request *req, long long id, const char *stage,
                         const char *action, bool clear_result)
{
    int rc;
    json_t *before = reelection_row(req, id, true, &rc);
    if (!before)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    struct db_stmt *st = db_prepare(req->db, SET_STAGE);
    if (!st) {
        rc = db_failure(req->db);
    } else {
        db_bind_str(st, stage);
        db_bind_int(st, clear_result);
        db_bind_int(st, id);
        rc = db_execute(st);
    }
    if (rc == DB_OK)
        rc = audit_change(req, id, action, before);
    json_decref(before);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* A plan goes up its chain only for a date still to come: a draft may have waited. */
static int plan_submitting(struct request *req, const struct workflow_request *r)
{
    int rc;
    json_t *plan = reelection_row(req, r->subject_id, true, &rc);
    if (!plan)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    char today[11];
    date_today(today);
    int status = 0;
    if (strcmp(json_member_text(plan, "planned_date"), today) < 0)
        status = http_error(req, 422, "invalid", "planned_date",
                            "planned_date: %s lies in the past; change the plan first",
                            json_member_text(plan, "planned_date"));
    json_decref(plan);
    return status;
}

static int plan_finished(struct request *req, const struct workflow_request *r,
                         const char *outcome)
{
    const char *stage = strcmp(outcome, "completed") == 0 ? "election" : outcome;
    return reelection_set_stage(req, r->subject_id, stage,
                                arena_printf(req->arena, "plan_%s", outcome), false);
}

const struct workflow_kind reelection_plan_kind = {
    .name = "reelection_plan", .submitting = plan_submitting, .finished = plan_finished};
