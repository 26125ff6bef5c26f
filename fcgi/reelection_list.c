/* GET /api/v1/reelections: the re-elections of the caller's jurisdiction, newest first, with
 * the state of their plan's and result's requests; filtered by region, organisation and
 * stage. */
#include <limits.h>
#include <string.h>

#include "column_json.h"
#include "db.h"
#include "handlers.h"
#include "http.h"
#include "region_code.h"

enum { DEFAULT_PAGE = 50, MAX_PAGE = 200 };

/* STRAIGHT_JOIN: from the re-elections, never from the organisations of the jurisdiction. */
static const char REELECTION_PAGE[] =
    "SELECT STRAIGHT_JOIN e.id, e.organisation_id, o.name, e.region, e.stage, e.planned_date,"
    " e.term_years, e.election_date, e.plan_request_id, p.state, e.result_request_id, q.state,"
    " e.version"
    " FROM my_reelection e JOIN my_organisation o ON o.id = e.organisation_id"
    " LEFT JOIN my_workflow_request p ON p.id = e.plan_request_id"
    " LEFT JOIN my_workflow_request q ON q.id = e.result_request_id"
    " WHERE e.region LIKE CONCAT(?, '%') AND (? IS NULL OR e.organisation_id = ?)"
    " AND (? IS NULL OR e.stage = ?) AND e.id < ? ORDER BY e.id DESC LIMIT ?";

static const char *const stages[] = {"plan", "election", "done", "rejected", "withdrawn", NULL};

static json_t *item_json(struct db_stmt *st)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:I}", "id",
                     (json_int_t)db_col_int(st, 0), "organisation_id",
                     (json_int_t)db_col_int(st, 1), "organisation_name", json_column_text(st, 2),
                     "region", json_column_text(st, 3), "stage", json_column_text(st, 4),
                     "planned_date", json_column_text(st, 5), "term_years",
                     (json_int_t)db_col_int(st, 6), "election_date", json_column_text(st, 7),
                     "plan_request_id", json_column_int(st, 8), "plan_state",
                     json_column_text(st, 9), "result_request_id", json_column_int(st, 10),
                     "result_state", json_column_text(st, 11), "version",
                     (json_int_t)db_col_int(st, 12));
}

static int bad_param(struct request *req, const char *name, const char *why)
{
    return http_error(req, 400, "invalid_parameter", name, "%s: %s", name, why);
}

int reelections_list(struct request *req)
{
    const char *under = http_query(req, "under"), *stage = http_query(req, "stage");
    long limit, before, organisation;
    if (http_query_int(req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit) != 0 ||
        http_query_int(req, "cursor", 1, LONG_MAX, LONG_MAX, &before) != 0 ||
        http_query_int(req, "organisation_id", 1, LONG_MAX - 1, 0, &organisation) != 0)
        return req->status;
    if (under && under[0] && region_level_of(under) == LEVEL_NONE)
        return bad_param(req, "under", "a region code has 2, 4, 6, 9 or 12 digits");
    bool stage_known = !stage || !stage[0];
    for (int i = 0; stages[i] && !stage_known; i++)
        stage_known = strcmp(stage, stages[i]) == 0;
    if (!stage_known)
        return bad_param(req, "stage", "must be plan, election, done, rejected or withdrawn");
    struct db_stmt *st = db_prepare(req->db, REELECTION_PAGE);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, under ? under : ""); /* the view keeps the jurisdiction */
    for (int i = 0; i < 2; i++)
        if (organisation)
            db_bind_int(st, organisation);
        else
            db_bind_null(st);
    for (int i = 0; i < 2; i++)
        db_bind_str(st, stage && stage[0] ? stage : NULL);
    db_bind_int(st, before);
    db_bind_int(st, limit + 1); /* one more tells whether another page follows */
    return http_id_page(req, st, limit, item_json);
}
