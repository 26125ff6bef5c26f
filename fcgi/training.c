/* POST /api/v1/cadres/{id}/training: a training record, and the person's last training date
 * kept up to date with it in the same transaction, so the roster's "training due" filter reads
 * one column instead of searching the training table for every row. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "db.h"
#include "handlers.h"
#include "http.h"

static const char INSERT_TRAINING[] =
    "INSERT INTO my_training (person_id, region, held_on, course, hours, organiser_level)"
    " VALUES (?, ?, ?, ?, ?, ?)";

/* A training older than the last one known leaves the date alone. The person's version is not
 * raised: the date follows from the training records, and a clerk editing her name meanwhile
 * should not be told that someone else changed the person. */
static const char UPDATE_LAST_TRAINING[] =
    "UPDATE my_person SET last_training_on = ?, updated_at = NOW(3)"
    " WHERE id = ? AND (last_training_on IS NULL OR last_training_on < ?)";

struct training {
    long long person_id, id;
    const char *held_on, *course, *hours;
    int level; /* index in cadre_levels */
};

/* hours: a number above 0 and up to 1000 with at most one decimal, as text for the DECIMAL
 * column; NULL with the failure recorded otherwise. */
static const char *hours_read(struct fields *f)
{
    json_t *value = json_object_get(f->body, "hours");
    if (f->failed)
        return NULL;
    if (!value || json_is_null(value)) {
        field_fail(f, "hours", "required", "is required");
        return NULL;
    }
    double h = json_number_value(value);
    long long tenths = (long long)(h * 10 + 0.5); /* rounded; h > 0 is checked below */
    double off = h * 10 - (double)tenths;
    if (!json_is_number(value) || !(h > 0 && h <= 1000) || off > 1e-6 || off < -1e-6) {
        field_fail(f, "hours", "invalid", "must be a number above 0 and up to 1000 with at most"
                                          " one decimal");
        return NULL;
    }
    return arena_printf(f->req->arena, "%lld.%lld", tenths / 10, tenths % 10);
}

static int add_step(struct request *req, void *data)
{
    struct training *t = data;
    int rc;
    json_t *person = cadre_person_row(req, t->person_id, true, &rc), *after = NULL;
    if (!person)
        return rc == DB_DONE ? cadre_not_found(req, t->person_id) : http_db_error(req, rc);
    const char *region = json_string_value(json_object_get(person, "region"));
    struct db_stmt *st = db_prepare(req->db, INSERT_TRAINING);
    if (!st) {
        rc = db_failure(req->db);
        goto done;
    }
    db_bind_int(st, t->person_id);
    db_bind_str(st, region); /* the record lies where the person does */
    db_bind_str(st, t->held_on);
    db_bind_str(st, t->course);
    db_bind_str(st, t->hours);
    db_bind_int(st, t->level + 1);
    if ((rc = db_execute(st)) != DB_OK)
        goto done;
    t->id = db_insert_id(st);
    after = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)t->id, "person_id",
                      (json_int_t)t->person_id, "held_on", t->held_on, "course", t->course,
                      "hours", t->hours, "organiser_level", cadre_levels[t->level]);
    if ((rc = cadre_audit(req, region, "create", "training", t->id, NULL, after)) != DB_OK)
        goto done;

    if (!(st = db_prepare(req->db, UPDATE_LAST_TRAINING))) {
        rc = db_failure(req->db);
        goto done;
    }
    db_bind_str(st, t->held_on);
    db_bind_int(st, t->person_id);
    db_bind_str(st, t->held_on);
    if ((rc = db_execute(st)) != DB_OK || db_affected(st) == 0)
        goto done;
    json_t *was = json_pack("{s:O}", "last_training_on",
                            json_object_get(person, "last_training_on"));
    json_t *now = json_pack("{s:s}", "last_training_on", t->held_on);
    rc = cadre_audit(req, region, "update", "person", t->person_id, was, now);
    json_decref(was);
    json_decref(now);
done:
    json_decref(person);
    json_decref(after);
    return rc == DB_OK ? 0 : http_db_error(req, rc);
}

int training_create(struct request *req)
{
    struct training t = {.person_id = cadre_path_id(req, "id")};
    if (!t.person_id)
        return req->status;
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    t.held_on = field_date(&f, "held_on", REQUIRED);
    t.course = field_text(&f, "course", 1, 200, REQUIRED);
    t.hours = hours_read(&f);
    t.level = field_enum(&f, "organiser_level", cadre_levels, REQUIRED);
    char today[11];
    date_today(today);
    if (t.held_on && strcmp(t.held_on, today) > 0)
        field_fail(&f, "held_on", "invalid", "must not be in the future");
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, add_step, &t);
    if (status != 0)
        return status;
    return http_json(req, 201,
                     json_pack("{s:I, s:I, s:s, s:s, s:f, s:s}", "id", (json_int_t)t.id,
                               "person_id", (json_int_t)t.person_id, "held_on", t.held_on,
                               "course", t.course, "hours", strtod(t.hours, NULL),
                               "organiser_level", cadre_levels[t.level]));
}
