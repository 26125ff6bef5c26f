/* Ending a position or a link: the checks, the update and the audit entry, the same for both. */
#include "ending.h"

#include <string.h>

#include "cadres.h"
#include "column_json.h"
#include "db.h"
#include "http.h"

/* Why the row cannot end on e->end_date; 0 when it can. */
static int refusal(struct request *req, const struct ending *e, const json_t *before)
{
    if (!json_is_null(json_object_get(before, "end_date")))
        return http_error(req, 409, "already_ended", "id", "%s %lld ended on %s already", e->noun,
                          e->id, json_member_text(before, "end_date"));
    if (json_member_int(before, "version") != e->version)
        return http_error(req, 409, "stale_version", "version",
                          "the %s was changed by someone else; reload and try again", e->noun);
    const char *start = json_member_text(before, "start_date");
    if (strcmp(e->end_date, start) < 0)
        return http_error(req, 422, "invalid", "end_date",
                          "end_date: must not be before the %s began (%s)", e->noun, start);
    return 0;
}

int ending_write(struct request *req, const struct ending *e, const json_t *before,
                 json_t **after)
{
    struct db_stmt *st = db_prepare(req->db, e->statement);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, e->end_date);
    if (e->reason)
        db_bind_str(st, e->reason);
    db_bind_int(st, e->id);
    db_bind_int(st, e->version);
    int rc = db_execute(st);
    if (rc == DB_OK && db_affected(st) != 1)
        rc = DB_CONFLICT; /* cannot happen while the row is locked */
    if (rc == DB_OK) {
        *after = e->row(req, e->id, false, &rc);
        rc = *after ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
    }
    if (rc == DB_OK)
        rc = cadre_audit(req, json_member_text(before, "region"), "end", e->entity, e->id, before,
                         *after);
    return rc;
}

int ending_step(struct request *req, void *data)
{
    const struct ending *e = data;
    int rc;
    json_t *before = e->row(req, e->id, true, &rc), *after = NULL;
    if (!before)
        return rc == DB_DONE ? http_error(req, 404, NULL, "id", "no %s %lld in your jurisdiction",
                                          e->noun, e->id)
                             : http_db_error(req, rc);
    int status = refusal(req, e, before);
    if (status == 0 && (rc = ending_write(req, e, before, &after)) != DB_OK)
        status = http_db_error(req, rc);
    json_decref(before);
    json_decref(after);
    return status;
}
