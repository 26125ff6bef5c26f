/* Positions of cadres: POST /api/v1/cadres/{id}/positions (a new one, perhaps succeeding
 * another) and POST /api/v1/positions/{id}/end. A position is never deleted: ending it sets its
 * end date and reason, so who held which office, and who took over from whom, stays. */
#include <limits.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "db_rows.h"
#include "ending.h"
#include "handlers.h"
#include "http.h"

static const char ORGANISATION_FOR_POSITION[] =
    "SELECT id, region, level, kind, term_start, name FROM my_organisation WHERE id = ?";

#define POSITION_COLUMNS                                                                       \
    "SELECT p.id, p.person_id, p.organisation_id, o.name, p.region, p.role, p.full_time,"     \
    " p.in_two_committees, p.term_start, p.start_date, p.end_date, p.end_reason,"             \
    " p.succeeds_id, p.version"                                                                \
    " FROM my_position p JOIN my_organisation o ON o.id = p.organisation_id"
static const char POSITION_ROW[] = POSITION_COLUMNS " WHERE p.id = ?";
static const char POSITION_ROW_LOCKED[] = POSITION_COLUMNS " WHERE p.id = ? FOR UPDATE";
static const char POSITIONS_OF[] =
    POSITION_COLUMNS " WHERE p.person_id = ? ORDER BY p.start_date, p.id";

static const char INSERT_POSITION[] =
    "INSERT INTO my_position (person_id, organisation_id, region, org_level, org_kind, role,"
    " full_time, in_two_committees, term_start, start_date, succeeds_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Many at once, for an import: see db_rows.h. The new rows come back in the order of VALUES. */
static const char *const INSERT_POSITIONS[DB_ROW_SIZES] = DB_ROWS_STATEMENTS(
    "INSERT INTO my_position (person_id, organisation_id, region, org_level, org_kind, role,"
    " full_time, in_two_committees, term_start, start_date, succeeds_id) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", " RETURNING id, person_id");

/* Only a current position ends, and only once. */
static const char END_POSITION[] =
    "UPDATE my_position SET end_date = ?, end_reason = ?, version = version + 1,"
    " updated_at = NOW(3) WHERE id = ? AND version = ? AND end_date IS NULL";

/* ------------------------------------------------------------------------------------------ */
/* Rows as JSON */

/* The position of the current row of a POSITION_COLUMNS statement. New reference. */
static json_t *position_json(struct db_stmt *st)
{
    return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:I}",
                     "id", (json_int_t)db_col_int(st, 0), "person_id",
                     (json_int_t)db_col_int(st, 1), "organisation_id",
                     (json_int_t)db_col_int(st, 2), "organisation_name", json_column_text(st, 3),
                     "region", json_column_text(st, 4), "role", json_column_text(st, 5), "full_time",
                     db_col_int(st, 6) != 0, "in_two_committees", db_col_int(st, 7) != 0,
                     "term_start", json_column_text(st, 8), "start_date", json_column_text(st, 9),
                     "end_date", json_column_text(st, 10), "end_reason", json_column_text(st, 11),
                     "succeeds_id",
                     db_col_null(st, 12) ? json_null() : json_integer(db_col_int(st, 12)),
                     "version", (json_int_t)db_col_int(st, 13));
}

/* The position id as the caller sees it, locked for update when lock. Sets *rc to DB_ROW (a
 * new reference returned), DB_DONE (not in the jurisdiction) or an error. */
static json_t *position_row(struct request *req, long long id, bool lock, int *rc)
{
    struct db_stmt *st = db_row_of(req->db, lock ? POSITION_ROW_LOCKED : POSITION_ROW, id, rc);
    if (!st)
        return NULL;
    json_t *row = position_json(st);
    db_reset(st);
    return row;
}

/* How a position is ended (fcgi/ending.h): the rest is the request's. */
static struct ending position_ending(long long id)
{
    return (struct ending){.noun = "position", .entity = "position", .row = position_row,
                           .statement = END_POSITION, .id = id};
}

json_t *position_list_of(struct request *req, long long person_id, int *rc)
{
    return json_rows_of(req->db, POSITIONS_OF, person_id, position_json, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Adding */

void position_input_read(struct fields *f, struct position_input *in)
{
    in->organisation_id = field_int(f, "organisation_id", 1, LLONG_MAX - 1, 0, REQUIRED);
    in->role = field_enum(f, "role", cadre_roles, REQUIRED);
    in->full_time = field_bool(f, "full_time", false, OPTIONAL);
    in->in_two_committees = field_bool(f, "in_two_committees", false, OPTIONAL);
    in->start_date = field_date(f, "start_date", REQUIRED);
    in->succeeds_id = field_int(f, "succeeds_id", 1, LLONG_MAX - 1, 0, OPTIONAL);
    char today[11];
    date_today(today);
    if (in->start_date && strcmp(in->start_date, today) > 0)
        field_fail(f, "start_date", "invalid", "must not be in the future");
}

int position_org_load(struct request *req, long long id, struct position_org *org)
{
    struct db_stmt *st = db_prepare(req->db, ORGANISATION_FOR_POSITION);
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
    snprintf(org->region, sizeof org->region, "%s", db_col_text(st, 1, NULL));
    org->level = db_col_int(st, 2);
    snprintf(org->kind, sizeof org->kind, "%s", db_col_text(st, 3, NULL));
    const char *term = db_col_text(st, 4, NULL);
    snprintf(org->term_start, sizeof org->term_start, "%s", term ? term : "");
    snprintf(org->name, sizeof org->name, "%s", db_col_text(st, 5, NULL));
    db_reset(st);
    return 0;
}

/* Ends the position that the new one (starting on start_date in org) succeeds. It must be a
 * current position of the same organisation that started no later. Returns 0 or a status. */
static int end_succeeded(struct request *req, long long id, const struct position_org *org,
                         const char *start_date)
{
    int rc, status = 0;
    json_t *before = position_row(req, id, true, &rc), *after = NULL;
    if (!before)
        return rc == DB_DONE ? http_error(req, 404, NULL, "succeeds_id",
                                          "no position %lld in your jurisdiction", id)
                             : http_db_error(req, rc);
    if (json_member_int(before, "organisation_id") != org->id)
        status = http_error(req, 422, "invalid", "succeeds_id",
                            "succeeds_id: must be a position in the same organisation");
    else if (!json_is_null(json_object_get(before, "end_date")))
        status = http_error(req, 409, "already_ended", "succeeds_id",
                            "position %lld ended already", id);
    else if (strcmp(start_date, json_member_text(before, "start_date")) < 0)
        status = http_error(req, 422, "invalid", "start_date",
                            "start_date: must not be before the start of the position it"
                            " succeeds (%s)", json_member_text(before, "start_date"));
    if (status == 0) {
        struct ending e = position_ending(id);
        e.version = json_member_int(before, "version");
        e.end_date = start_date;
        e.reason = "succeeded";
        if ((rc = ending_write(req, &e, before, &after)) != DB_OK)
            status = http_db_error(req, rc);
    }
    json_decref(before);
    json_decref(after);
    return status;
}

/* Binds a new position's values in the column order of INSERT_POSITION. Region, level and kind
 * repeat the organisation's, so a roster page is one range scan. */
static void position_bind(struct db_stmt *st, long long person_id, const struct position_input *in,
                          const struct position_org *org)
{
    db_bind_int(st, person_id);
    db_bind_int(st, org->id);
    db_bind_str(st, org->region);
    db_bind_int(st, org->level);
    db_bind_str(st, org->kind);
    db_bind_str(st, cadre_roles[in->role]);
    db_bind_int(st, in->full_time);
    db_bind_int(st, in->in_two_committees);
    db_bind_str(st, org->term_start[0] ? org->term_start : NULL);
    db_bind_str(st, in->start_date);
    if (in->succeeds_id)
        db_bind_int(st, in->succeeds_id);
    else
        db_bind_null(st);
}

/* The new position's audit entry, with the row as position_row would read it back, known
 * without that round trip: an import adds thousands of positions in one request. */
static int audit_created(struct request *req, long long id, long long person_id,
                         const struct position_input *in, const struct position_org *org)
{
    json_t *after = json_pack(
        "{s:I, s:I, s:I, s:s, s:s, s:s, s:b, s:b, s:o, s:s, s:n, s:n, s:o, s:i}", "id",
        (json_int_t)id, "person_id", (json_int_t)person_id, "organisation_id",
        (json_int_t)org->id, "organisation_name", org->name, "region", org->region, "role",
        cadre_roles[in->role], "full_time", in->full_time, "in_two_committees",
        in->in_two_committees, "term_start",
        org->term_start[0] ? json_string(org->term_start) : json_null(), "start_date",
        in->start_date, "end_date", "end_reason", "succeeds_id",
        in->succeeds_id ? json_integer(in->succeeds_id) : json_null(), "version", 1);
    int rc = cadre_audit(req, org->region, "create", "position", id, NULL, after);
    json_decref(after);
    return rc;
}

int position_add(struct request *req, long long person_id, const struct position_input *in,
                 const struct position_org *org, long long *id)
{
    int status;
    if (in->succeeds_id && (status = end_succeeded(req, in->succeeds_id, org, in->start_date)))
        return status;
    struct db_stmt *st = db_prepare(req->db, INSERT_POSITION);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    position_bind(st, person_id, in, org);
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    *id = db_insert_id(st);
    rc = audit_created(req, *id, person_id, in, org);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* Inserts the n positions of one statement of INSERT_POSITIONS (index), setting ids[0..n).
 * Returns DB_OK or an error. */
static int insert_chunk(struct request *req, int index, const long long *person_ids,
                        const struct position_input *const *in,
                        const struct position_org *const *orgs, int n, long long *ids)
{
    struct db_stmt *st = db_prepare(req->db, INSERT_POSITIONS[index]);
    if (!st)
        return db_failure(req->db);
    for (int i = 0; i < n; i++)
        position_bind(st, person_ids[i], in[i], orgs[i]);
    int rc = db_execute(st);
    for (int i = 0; i < n && rc == DB_OK; i++) {
        rc = db_fetch(st);
        /* RETURNING gives the rows in the order of VALUES; anything else is a bug. */
        if (rc == DB_ROW && db_col_int(st, 1) == person_ids[i])
            ids[i] = db_col_int(st, 0), rc = DB_OK;
        else if (rc == DB_ROW || rc == DB_DONE)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

int positions_add(struct request *req, const long long *person_ids,
                  const struct position_input *const *in, const struct position_org *const *orgs,
                  int n)
{
    long long ids[DB_ROWS_MAX];
    int rc = DB_OK;
    for (int done = 0, size; done < n && rc == DB_OK; done += size) {
        int index = db_rows_index(n - done);
        size = DB_ROWS_MAX >> index;
        rc = insert_chunk(req, index, person_ids + done, in + done, orgs + done, size, ids);
        for (int i = 0; i < size && rc == DB_OK; i++)
            rc = audit_created(req, ids[i], person_ids[done + i], in[done + i], orgs[done + i]);
    }
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/cadres/{id}/positions */

struct add {
    long long person_id, id;
    struct position_input position;
};

static int add_step(struct request *req, void *data)
{
    struct add *a = data;
    int rc;
    json_t *person = cadre_person_row(req, a->person_id, true, &rc);
    if (!person)
        return rc == DB_DONE ? cadre_not_found(req, a->person_id) : http_db_error(req, rc);
    json_decref(person);
    struct position_org org;
    int status = position_org_load(req, a->position.organisation_id, &org);
    return status ? status : position_add(req, a->person_id, &a->position, &org, &a->id);
}

/* Answers with the position id as it is now. */
static int position_respond(struct request *req, int status, long long id)
{
    int rc;
    json_t *row = position_row(req, id, false, &rc);
    if (!row)
        return rc == DB_DONE ? http_error(req, 404, NULL, "id",
                                          "no position %lld in your jurisdiction", id)
                             : http_db_error(req, rc);
    return http_json(req, status, row);
}

int position_create(struct request *req)
{
    struct add a = {.person_id = cadre_path_id(req, "id")};
    if (!a.person_id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    position_input_read(&f, &a.position);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, add_step, &a);
    return status ? status : position_respond(req, 201, a.id);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/positions/{id}/end */

int position_end(struct request *req)
{
    struct ending e = position_ending(cadre_path_id(req, "id"));
    if (!e.id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    e.version = field_int(&f, "version", 1, UINT_MAX, 0, REQUIRED);
    e.end_date = field_date(&f, "end_date", REQUIRED);
    e.reason = field_text(&f, "reason", 1, 200, REQUIRED);
    char today[11];
    date_today(today);
    if (e.end_date && strcmp(e.end_date, today) > 0)
        field_fail(&f, "end_date", "invalid", "must not be in the future");
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, ending_step, &e);
    return status ? status : position_respond(req, 200, e.id);
}
