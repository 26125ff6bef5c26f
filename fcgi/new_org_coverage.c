/* POST /api/v1/new-organisations/{id}/coverage: a clerk of the township or county where a new
 * organisation is registered proposes its women's committee (with its term and, perhaps, its
 * chair from the roster) or its liaison officer (a cadre of the roster, or a new person with the
 * checks of POST /cadres). The proposal is a request of the chain engine, made and submitted at
 * once: nothing is covered until its chain completes (new_org_coverage_kind.c). One transaction:
 * the proposal, its request with the steps of its chain, their history and audit entries.
 * PATCH .../coverage changes the latest proposal while its request is returned to the office,
 * which then submits it again (POST /requests/{id}/submit). */
#include "new_org_coverage.h"

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
#include "json_memory.h"
#include "new_orgs.h"
#include "privacy.h"
#include "region_code.h"
#include "session.h"
#include "workflow.h"
#include "workflow_private.h"

const char *const coverage_kinds[] = {"committee", "liaison_officer", NULL};

#define PROPOSAL_COLUMNS                                                                       \
    "SELECT id, new_org_id, region, kind, stage, start_date, term_years, name,"               \
    " chair_person_id, person_id, person_name, person_data, note, request_id, committee_id,"  \
    " liaison_position_id, version FROM my_new_org_coverage_request"
static const char PROPOSAL_OF_REQUEST[] = PROPOSAL_COLUMNS " WHERE request_id = ?";
static const char PROPOSAL_OF_REQUEST_LOCKED[] =
    PROPOSAL_COLUMNS " WHERE request_id = ? FOR UPDATE";
static const char LATEST_PROPOSAL[] =
    PROPOSAL_COLUMNS " WHERE new_org_id = ? ORDER BY id DESC LIMIT 1";

static const char FEDERATION_OF[] = "SELECT id FROM my_organisation WHERE federation_of = ?";

static const char INSERT_PROPOSAL[] =
    "INSERT INTO my_new_org_coverage_request (new_org_id, region, kind, start_date, term_years,"
    " name, chair_person_id, person_id, person_name, person_data, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char UPDATE_PROPOSAL[] =
    "UPDATE my_new_org_coverage_request SET start_date = ?, term_years = ?, name = ?,"
    " chair_person_id = ?, person_id = ?, person_name = ?, person_data = ?, note = ?,"
    " version = version + 1, updated_at = NOW(3) WHERE id = ?";

static const char SET_REQUEST[] =
    "UPDATE my_new_org_coverage_request SET request_id = ? WHERE id = ?";

/* ------------------------------------------------------------------------------------------ */
/* Reading a proposal */

static json_t *proposal_json(struct db_stmt *st)
{
    size_t len;
    const char *data = db_col_text(st, 11, &len);
    json_t *person = data ? json_loadb(data, len, 0, NULL) : NULL;
    json_t *p = json_object();
    static const char *const names[] = {
        "id", "new_org_id", "region", "kind", "stage", "start_date", "term_years", "name",
        "chair_person_id", "person_id", "person_name", NULL, "note", "request_id",
        "committee_id", "liaison_position_id", "version"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        bool number = i <= 1 || i == 6 || i == 8 || i == 9 || i >= 13;
        if (names[i])
            json_object_set_new(p, names[i],
                                number ? json_column_int(st, i) : json_column_text(st, i));
    }
    json_object_set_new(p, "person", person ? person : json_null());
    return p;
}

json_t *coverage_request_row(struct request *req, long long request_id, long long new_org_id,
                             bool lock, int *rc)
{
    const char *sql = request_id ? (lock ? PROPOSAL_OF_REQUEST_LOCKED : PROPOSAL_OF_REQUEST)
                                 : LATEST_PROPOSAL;
    struct db_stmt *st = db_row_of(req->db, sql, request_id ? request_id : new_org_id, rc);
    if (!st)
        return NULL;
    json_t *p = proposal_json(st);
    db_reset(st);
    return p;
}

int new_org_add_coverage_request(struct request *req, json_t *org)
{
    int rc;
    json_t *p = coverage_request_row(req, 0, json_member_int(org, "id"), false, &rc);
    if (!p) {
        json_object_set_new(org, "coverage_request", json_null());
        return rc == DB_DONE ? DB_OK : rc;
    }
    /* A new person's record stays in the audit log: the page shows her name. */
    json_object_del(p, "person");
    json_t *r = workflow_request_json(req, json_member_int(p, "request_id"), true, &rc);
    json_object_set_new(p, "request", r ? r : json_null());
    json_object_set_new(org, "coverage_request", p);
    return r || rc == DB_DONE ? DB_OK : rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Proposing */

struct proposal {
    long long new_org_id, version, term_years, chair_person_id, person_id;
    int kind; /* enum coverage_kind */
    const char *start_date, *name, *note, *person_name;
    struct person_values person; /* a new liaison officer: person_id 0 */
    long long request_id;
};

/* The person named by id (member field) as the caller sees her: 0 with *name set, or 404. */
static int roster_person(struct request *req, long long id, const char *field, const char **name)
{
    int rc;
    json_t *person = cadre_person_row(req, id, false, &rc);
    if (!person)
        return rc == DB_DONE ? http_error(req, 404, NULL, field,
                                          "no cadre %lld in your jurisdiction", id)
                             : http_db_error(req, rc);
    *name = arena_strdup(req->arena, json_member_text(person, "name"));
    json_decref(person);
    return 0;
}

/* The federation of region: the organisation the request is made to. 0, or 422. */
static int federation_of(struct request *req, const char *region, long long *id)
{
    struct db_stmt *st = db_prepare(req->db, FEDERATION_OF);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, region);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        *id = db_col_int(st, 0);
        db_reset(st);
        return 0;
    }
    if (rc == DB_DONE)
        return http_error(req, 422, "no_federation", "id",
                          "region %s has no federation to make the request to", region);
    return http_db_error(req, rc);
}

/* Binds what a proposal proposes, in the order of the columns start_date .. note of
 * INSERT_PROPOSAL and UPDATE_PROPOSAL. Returns the new person's record (or NULL), which the
 * caller frees with json_memory_free once the statement ran. */
static char *bind_proposal(struct db_stmt *st, const struct proposal *p)
{
    char *data = p->kind == COVER_LIAISON && !p->person_id ? cadre_person_data(&p->person) : NULL;
    db_bind_str(st, p->start_date);
    p->kind == COVER_COMMITTEE ? db_bind_int(st, p->term_years) : db_bind_null(st);
    db_bind_str(st, p->name);
    p->chair_person_id ? db_bind_int(st, p->chair_person_id) : db_bind_null(st);
    p->person_id ? db_bind_int(st, p->person_id) : db_bind_null(st);
    db_bind_str(st, p->person_name);
    db_bind_str(st, data);
    db_bind_str(st, p->note);
    return data;
}

static int insert_proposal(struct request *req, const struct proposal *p, const char *region,
                           long long *id)
{
    struct db_stmt *st = db_prepare(req->db, INSERT_PROPOSAL);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, p->new_org_id);
    db_bind_str(st, region);
    db_bind_str(st, coverage_kinds[p->kind]);
    char *data = bind_proposal(st, p);
    int rc = db_execute(st);
    json_memory_free(data);
    if (rc == DB_DUPLICATE)
        return http_error(req, 409, "open_request", "id",
                          "the organisation has a coverage request under way already; it is "
                          "decided, or withdrawn, before another is made");
    if (rc != DB_OK)
        return http_db_error(req, rc);
    *id = db_insert_id(st);
    return 0;
}

/* Makes the proposal, its request and the request's submission, with their audit entries. */
static int record_proposal(struct request *req, struct proposal *p, const json_t *org)
{
    const char *region = json_member_text(org, "region");
    long long federation = 0, id = 0;
    int status = federation_of(req, region, &federation);
    if (status || (status = insert_proposal(req, p, region, &id)) != 0)
        return status;
    const struct workflow_kind *kind =
        p->kind == COVER_COMMITTEE ? &new_org_committee_kind : &new_org_liaison_kind;
    if ((status = workflow_create(req, kind, p->new_org_id, federation, region,
                                  (int)region_level_of(region), &p->request_id)) != 0)
        return status;
    struct db_stmt *st = db_prepare(req->db, SET_REQUEST);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, p->request_id);
    db_bind_int(st, id);
    int rc = db_execute(st);
    json_t *after = rc == DB_OK ? coverage_request_row(req, p->request_id, 0, false, &rc) : NULL;
    if (after)
        rc = cadre_audit(req, region, "create", "new_org_coverage_request", id, NULL, after);
    json_decref(after);
    if (rc != DB_OK)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    return workflow_submit_draft(req, p->request_id, p->note);
}

/* The rules for a proposal p of org (new_org_row's, locked), and the roster persons it names
 * as the caller sees them: 0, or the refusal with the answer set. */
static int proposal_allowed(struct request *req, struct proposal *p, const json_t *org)
{
    int status = coverage_refusal(req, p->kind, org);
    if (status == 0 && p->chair_person_id)
        status = roster_person(req, p->chair_person_id, "chair_person_id", &p->person_name);
    if (status == 0 && p->person_id)
        status = roster_person(req, p->person_id, "person_id", &p->person_name);
    return status;
}

/* 0 when the caller works where the organisation is registered, else 403 (doing: what she
 * may not, "proposes its coverage"). */
static int registering_office(struct request *req, const json_t *org, const char *doing)
{
    const char *region = json_member_text(org, "region");
    if (strcmp(req->session->who.region, region) == 0)
        return 0;
    return http_error(req, 403, "not_registering_office", NULL,
                      "a clerk of %s, where the organisation is registered, %s", region, doing);
}

static int propose_step(struct request *req, void *data)
{
    struct proposal *p = data;
    int rc, status = 0;
    json_t *org = new_org_row(req, p->new_org_id, true, true, &rc);
    if (!org)
        return rc == DB_DONE ? new_org_not_found(req, "id", p->new_org_id)
                             : http_db_error(req, rc);
    status = registering_office(req, org, "proposes its coverage");
    if (status == 0 && json_member_int(org, "version") != p->version)
        status = http_error(req, 409, "stale_version", "version",
                            "the organisation was changed by someone else; reload and try again");
    if (status == 0)
        status = proposal_allowed(req, p, org);
    if (status == 0)
        status = record_proposal(req, p, org);
    json_decref(org);
    return status;
}

/* A new liaison officer's record, read and checked as POST /cadres does. */
static void new_person_read(struct fields *f, struct proposal *p)
{
    json_t *person = json_object_get(f->body, "person");
    if (f->failed)
        return;
    if (!json_is_object(person)) {
        field_fail(f, "person", "invalid", "must be an object with the person's record");
        return;
    }
    struct fields sub = {.req = f->req, .body = person};
    p->person = (struct person_values){.ethnicity = "汉族", .occupation = "other"};
    cadre_person_read(&sub, &p->person, REQUIRED);
    cadre_person_check(&sub, &p->person);
    if (sub.failed) {
        f->failed = true;
        json_t *error = json_object_get(f->req->body, "error");
        const char *field = json_string_value(json_object_get(error, "field"));
        json_object_set_new(error, "field",
                            field ? json_sprintf("person.%s", field) : json_string("person"));
    }
    p->person_name = p->person.name;
}

static void proposal_read(struct fields *f, struct proposal *p)
{
    p->version = field_int(f, "version", 1, UINT_MAX, 0, REQUIRED);
    p->kind = field_enum(f, "kind", coverage_kinds, REQUIRED);
    p->start_date = field_date(f, "start_date", REQUIRED);
    p->note = field_text(f, "note", 1, 1000, OPTIONAL);
    if (p->kind == COVER_COMMITTEE) {
        p->term_years = field_int(f, "term_years", 3, 5, 5, OPTIONAL);
        p->name = field_text(f, "name", 1, 200, OPTIONAL);
        p->chair_person_id = field_int(f, "chair_person_id", 1, LLONG_MAX - 1, 0, OPTIONAL);
        if (!f->failed && (field_present(f, "person_id") || field_present(f, "person")))
            field_fail(f, "person_id", "invalid",
                       "a committee names its chair (chair_person_id), not a liaison officer");
    } else if (p->kind == COVER_LIAISON) {
        if (!f->failed && field_present(f, "person_id") == field_present(f, "person"))
            field_fail(f, "person_id", "required",
                       "the liaison officer is a person_id of the roster or a new person, one "
                       "of the two");
        if (field_present(f, "person_id"))
            p->person_id = field_int(f, "person_id", 1, LLONG_MAX - 1, 0, REQUIRED);
        else
            new_person_read(f, p);
        if (!f->failed && (field_present(f, "term_years") || field_present(f, "chair_person_id")))
            field_fail(f, field_present(f, "term_years") ? "term_years" : "chair_person_id",
                       "invalid", "a liaison officer has no term and no chair");
    }
    char today[11];
    date_today(today);
    if (p->start_date && strcmp(p->start_date, today) > 0)
        field_fail(f, "start_date", "invalid", "must not be in the future");
}

/* Answers status with new organisation id and its latest proposal. */
static int coverage_respond(struct request *req, int status, long long id)
{
    int rc;
    json_t *org = new_org_row(req, id, false, privacy_allowed(req->cfg, req->session->who.roles),
                              &rc);
    if (org && (rc = new_org_add_coverage_request(req, org)) == DB_OK)
        return http_json(req, status, org);
    json_decref(org);
    return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
}

int new_org_cover(struct request *req)
{
    struct proposal p = {.new_org_id = cadre_path_id(req, "id")};
    if (!p.new_org_id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    proposal_read(&f, &p);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, propose_step, &p);
    if (status)
        return status;
    http_header(req, "Location", arena_printf(req->arena, "/api/v1/requests/%lld", p.request_id));
    return coverage_respond(req, 201, p.new_org_id);
}

/* ------------------------------------------------------------------------------------------ */
/* Changing a returned proposal */

struct change {
    struct proposal p;
    const json_t *body; /* the request's, borrowed */
};

/* What a changed proposal is: the stored one (coverage_request_row's) with the members of body
 * over it, to be read as POST reads a new proposal. A member given as null is cleared; a
 * liaison officer given as person_id or as person replaces the one stored, whichever that
 * was. New reference. */
static json_t *proposal_merged(const json_t *stored, const json_t *body)
{
    static const char *const kept[] = {"kind", "start_date", "note", "term_years", "name",
                                       "chair_person_id", "person_id", "person", NULL};
    json_t *merged = json_object();
    for (int i = 0; kept[i]; i++) {
        json_t *value = json_object_get(stored, kept[i]);
        if (value && !json_is_null(value))
            json_object_set(merged, kept[i], value);
    }
    if (json_object_get(body, "person_id") || json_object_get(body, "person")) {
        json_object_del(merged, "person_id");
        json_object_del(merged, "person");
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)body, key, value) {
        if (json_is_null(value))
            json_object_del(merged, key);
        else
            json_object_set(merged, key, value);
    }
    return merged;
}

/* Stores the changed proposal p over the one with id. DB_OK or an error. */
static int update_proposal(struct request *req, const struct proposal *p, long long id)
{
    struct db_stmt *st = db_prepare(req->db, UPDATE_PROPOSAL);
    if (!st)
        return db_failure(req->db);
    char *data = bind_proposal(st, p);
    db_bind_int(st, id);
    int rc = db_execute(st);
    json_memory_free(data);
    return rc;
}

/* Reads and checks the change of before (locked, its request r returned and locked), stores
 * it, and records it in the audit log and the request's history. 0 or a status. */
static int change_proposal(struct request *req, struct change *c,
                           const struct workflow_request *r, const json_t *before)
{
    struct proposal *p = &c->p;
    const char *kind = json_member_text(before, "kind");
    const json_t *given = json_object_get(c->body, "kind");
    if (given && !json_equal(given, json_object_get(before, "kind")))
        return http_error(req, 422, "invalid", "kind",
                          "kind: the proposal of a %s stays one; withdraw it and propose the "
                          "other", kind);
    json_t *merged = proposal_merged(before, c->body), *org = NULL, *after = NULL;
    struct fields f = {.req = req, .body = merged};
    proposal_read(&f, p);
    int rc, status = fields_end(&f);
    if (status == 0 && !(org = new_org_row(req, p->new_org_id, true, true, &rc)))
        status = http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    if (status == 0 && (status = proposal_allowed(req, p, org)) == 0) {
        long long id = json_member_int(before, "id");
        rc = update_proposal(req, p, id);
        if (rc == DB_OK && (after = coverage_request_row(req, r->id, 0, false, &rc)))
            rc = cadre_audit(req, r->region, "update", "new_org_coverage_request", id, before,
                             after);
        if (rc == DB_OK)
            rc = wf_record(req, r, NULL,
                           &(struct wf_event){.action = "change", .to_step = -1,
                                              .comment = json_object_get(c->body, "note")
                                                             ? p->note
                                                             : NULL});
        if (rc != DB_OK)
            status = http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    }
    json_decref(merged);
    json_decref(org);
    json_decref(after);
    return status;
}

/* Finds the organisation's latest proposal and locks its request, then the proposal: the order
 * of the engine's actions, which lock the request first. */
static int change_step(struct request *req, void *data)
{
    struct change *c = data;
    long long id = c->p.new_org_id;
    int rc, status;
    json_t *org = new_org_row(req, id, false, true, &rc), *latest = NULL, *before = NULL;
    if (!org)
        return rc == DB_DONE ? new_org_not_found(req, "id", id) : http_db_error(req, rc);
    struct workflow_request r;
    if ((status = registering_office(req, org, "changes its coverage proposal")) != 0)
        goto done;
    if (!(latest = coverage_request_row(req, 0, id, false, &rc))) {
        status = rc == DB_DONE ? http_error(req, 404, NULL, "id",
                                            "new organisation %lld has no coverage proposal", id)
                               : http_db_error(req, rc);
        goto done;
    }
    rc = workflow_load(req, json_member_int(latest, "request_id"), true, &r);
    if (rc == DB_ROW)
        before = coverage_request_row(req, r.id, 0, true, &rc);
    if (!before) /* a proposal and its request see each other */
        status = http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    else if (json_member_int(before, "version") != c->p.version)
        status = http_error(req, 409, "stale_version", "version",
                            "the proposal changed meanwhile (version %lld, not %lld); reload it",
                            json_member_int(before, "version"), c->p.version);
    else if (strcmp(r.state, "returned") != 0)
        status = http_error(req, 409, "not_editable", NULL,
                            "the proposal's request is %s: only a returned proposal is changed",
                            r.state);
    else
        status = change_proposal(req, c, &r, before);
done:
    json_decref(org);
    json_decref(latest);
    json_decref(before);
    return status;
}

int new_org_coverage_update(struct request *req)
{
    struct change c = {.p.new_org_id = cadre_path_id(req, "id")};
    if (!c.p.new_org_id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    c.p.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    if (fields_end(&f) != 0)
        return req->status;
    c.body = f.body;
    int status = cadre_in_transaction(req, change_step, &c);
    return status ? status : coverage_respond(req, 200, c.p.new_org_id);
}
