/* Chains of steps: GET /api/v1/workflow/chains (those that apply in the caller's jurisdiction)
 * and PUT /api/v1/workflow/chains, by which a province's admin sets her province's own chain
 * for a kind of request and level of organisation. It wins over the default from then on; a
 * request under way keeps the steps it copied when it was submitted. */
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
#include "organisation.h"
#include "region_code.h"
#include "roles.h"
#include "session.h"
#include "workflow_private.h"

enum { MAX_STEPS = 9 };

static const char CHAINS[] =
    "SELECT c.id, c.region, c.kind, c.org_class, c.org_level, c.version, s.seq, s.up, s.role,"
    " s.mode FROM my_workflow_chain c LEFT JOIN my_workflow_chain_step s ON s.chain_id = c.id"
    " ORDER BY c.kind, c.org_class, c.org_level DESC, c.region, s.seq";

static const char OWN_CHAIN[] =
    "SELECT id, version FROM my_own_workflow_chain WHERE region = ? AND kind = ?"
    " AND org_class = ? AND org_level = ? FOR UPDATE";
static const char OWN_STEPS[] =
    "SELECT seq, up, role, mode FROM my_own_workflow_chain_step WHERE chain_id = ? ORDER BY seq";
static const char INSERT_CHAIN[] =
    "INSERT INTO my_own_workflow_chain (region, kind, org_class, org_level) VALUES (?, ?, ?, ?)";
static const char BUMP_CHAIN[] =
    "UPDATE my_own_workflow_chain SET version = version + 1, updated_at = NOW(3)"
    " WHERE id = ? AND version = ?";
static const char DELETE_STEPS[] = "DELETE FROM my_own_workflow_chain_step WHERE chain_id = ?";
static const char INSERT_CHAIN_STEP[] =
    "INSERT INTO my_own_workflow_chain_step (chain_id, seq, region, up, role, mode)"
    " VALUES (?, ?, ?, ?, ?, ?)";

static const char *const classes[] = {"federation", "committee", NULL};
static const char *const step_roles[] = {"clerk", "approver", "admin", NULL};
static const char *const modes[] = {"approve", "file", NULL};

static const char *level_name(long long level)
{
    return region_level_name(level >= 1 && level <= 5 ? (enum region_level)level : LEVEL_NONE);
}

static json_t *step_json(struct db_stmt *st, int first)
{
    return json_pack("{s:I, s:I, s:o, s:o}", "seq", (json_int_t)db_col_int(st, first), "up",
                     (json_int_t)db_col_int(st, first + 1), "role",
                     json_column_text(st, first + 2), "mode", json_column_text(st, first + 3));
}

int workflow_chains(struct request *req)
{
    struct db_stmt *st = db_prepare(req->db, CHAINS);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    json_t *chains = json_array(), *chain = NULL;
    long long chain_id = 0;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if (!chain || db_col_int(st, 0) != chain_id) {
            chain_id = db_col_int(st, 0);
            chain = json_pack("{s:I, s:o, s:o, s:o, s:s, s:I, s:[]}", "id", (json_int_t)chain_id,
                              "region", json_column_text(st, 1), "kind", json_column_text(st, 2),
                              "org_class", json_column_text(st, 3), "org_level",
                              level_name(db_col_int(st, 4)), "version",
                              (json_int_t)db_col_int(st, 5), "steps");
            json_array_append_new(chains, chain);
        }
        if (!db_col_null(st, 6))
            json_array_append_new(json_object_get(chain, "steps"), step_json(st, 6));
    }
    if (rc != DB_DONE) {
        json_decref(chains);
        return http_db_error(req, rc);
    }
    return http_json(req, 200, json_pack("{s:o}", "items", chains));
}

/* ------------------------------------------------------------------------------------------ */
/* PUT /api/v1/workflow/chains */

struct chain_input {
    int kind, org_class, org_level, count;
    long long version; /* 0: the province has no chain of its own yet */
    struct {
        int up, role, mode;
    } steps[MAX_STEPS];
};

/* Reads the steps; each must be decided at a level that exists above the organisation. */
static void steps_read(struct fields *f, struct chain_input *in)
{
    json_t *list = json_object_get(f->body, "steps");
    if (f->failed)
        return;
    if (!json_is_array(list) || json_array_size(list) < 1 || json_array_size(list) > MAX_STEPS) {
        field_fail(f, "steps", list ? "invalid" : "required", "must be a list of 1 to %d steps",
                   MAX_STEPS);
        return;
    }
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        struct fields sub = {.req = f->req, .body = item};
        const char *name = arena_printf(f->req->arena, "steps[%zu]", i);
        if (!json_is_object(item)) {
            field_fail(f, name, "invalid", "a step is an object with up, role and mode");
            return;
        }
        in->steps[i].up = (int)field_int(&sub, "up", 0, 4, 0, REQUIRED);
        in->steps[i].role = field_enum(&sub, "role", step_roles, REQUIRED);
        in->steps[i].mode = field_enum(&sub, "mode", modes, REQUIRED);
        if (!sub.failed && in->org_level - in->steps[i].up < LEVEL_PROVINCE)
            field_fail(&sub, "up", "invalid", "no level lies %d above a %s", in->steps[i].up,
                       level_name(in->org_level));
        if (sub.failed) {
            json_t *error = json_object_get(f->req->body, "error");
            json_object_set_new(error, "field", json_sprintf("%s.%s", name,
                                json_string_value(json_object_get(error, "field"))));
            f->failed = true;
            return;
        }
    }
    in->count = (int)json_array_size(list);
}

/* The steps of chain id as stored, for the audit log. NULL with *rc on error. */
static json_t *own_steps(struct request *req, long long id, int *rc)
{
    struct db_stmt *st = db_prepare(req->db, OWN_STEPS);
    if (!st) {
        *rc = db_failure(req->db);
        return NULL;
    }
    db_bind_int(st, id);
    if ((*rc = db_execute(st)) != DB_OK)
        return NULL;
    json_t *steps = json_array();
    while ((*rc = db_fetch(st)) == DB_ROW)
        json_array_append_new(steps, step_json(st, 0));
    if (*rc != DB_DONE) {
        json_decref(steps);
        return NULL;
    }
    *rc = DB_OK;
    return steps;
}

/* Finds or makes the province's chain, locked; 0 with *id and *before (the steps it had, NULL
 * for a new one) set, else a status. */
static int own_chain(struct request *req, const struct chain_input *in, long long *id,
                     json_t **before)
{
    const char *region = req->session->who.region;
    *before = NULL;
    struct db_stmt *st = db_prepare(req->db, OWN_CHAIN);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, region);
    db_bind_str(st, wf_kind_names[in->kind]);
    db_bind_str(st, classes[in->org_class]);
    db_bind_int(st, in->org_level);
    int rc = db_execute_row(st);
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        long long version = db_col_int(st, 1);
        db_reset(st);
        if (version != in->version)
            return http_error(req, 409, "stale_version", "version",
                              "the chain changed meanwhile (version %lld, not %lld); reload it",
                              version, in->version);
        if (!(*before = own_steps(req, *id, &rc)) || !(st = db_prepare(req->db, BUMP_CHAIN)))
            return http_db_error(req, *before ? db_failure(req->db) : rc);
        db_bind_int(st, *id);
        db_bind_int(st, version);
        if ((rc = db_execute(st)) == DB_OK && (st = db_prepare(req->db, DELETE_STEPS))) {
            db_bind_int(st, *id);
            rc = db_execute(st);
        }
        return rc == DB_OK ? 0 : http_db_error(req, st ? rc : db_failure(req->db));
    }
    if (rc != DB_DONE)
        return http_db_error(req, rc);
    if (in->version)
        return http_error(req, 409, "stale_version", "version",
                          "the province has no chain of its own for this yet");
    if (!(st = db_prepare(req->db, INSERT_CHAIN)))
        return http_db_error(req, db_failure(req->db));
    db_bind_str(st, region);
    db_bind_str(st, wf_kind_names[in->kind]);
    db_bind_str(st, classes[in->org_class]);
    db_bind_int(st, in->org_level);
    if ((rc = db_execute(st)) != DB_OK)
        return http_db_error(req, rc);
    *id = db_insert_id(st);
    return 0;
}

static int set_chain_step(struct request *req, void *data)
{
    struct chain_input *in = data;
    long long id = 0;
    json_t *before = NULL, *after = NULL;
    int status = own_chain(req, in, &id, &before), rc = DB_OK;
    for (int i = 0; i < in->count && status == 0 && rc == DB_OK; i++) {
        struct db_stmt *st = db_prepare(req->db, INSERT_CHAIN_STEP);
        if (!st) {
            rc = db_failure(req->db);
            break;
        }
        db_bind_int(st, id);
        db_bind_int(st, i + 1);
        db_bind_str(st, req->session->who.region);
        db_bind_int(st, in->steps[i].up);
        db_bind_str(st, step_roles[in->steps[i].role]);
        db_bind_str(st, modes[in->steps[i].mode]);
        rc = db_execute(st);
    }
    if (status == 0 && rc == DB_OK && (after = own_steps(req, id, &rc)))
        rc = cadre_audit(req, req->session->who.region, before ? "update" : "create",
                         "workflow_chain", id, before, after);
    if (status == 0 && rc != DB_OK)
        status = http_db_error(req, rc);
    json_decref(before);
    json_decref(after);
    return status;
}

int workflow_chain_set(struct request *req)
{
    if (req->session->who.level != LEVEL_PROVINCE)
        return http_error(req, 403, "forbidden", NULL,
                          "a province's admin sets the chains of her province");
    struct fields f;
    if (fields_begin(&f, req) != 0)
        return req->status;
    struct chain_input in = {0};
    in.kind = field_enum(&f, "kind", wf_kind_names, REQUIRED);
    in.org_class = field_enum(&f, "org_class", classes, REQUIRED);
    in.org_level = field_enum(&f, "org_level", org_levels, REQUIRED) + 1;
    in.version = field_int(&f, "version", 1, UINT_MAX, 0, OPTIONAL);
    if (!f.failed && in.org_level == LEVEL_PROVINCE)
        field_fail(&f, "org_level", "invalid", "a province's own plans go outside the system");
    if (!f.failed && in.org_class == 1 && in.org_level != LEVEL_COUNTY &&
        in.org_level != LEVEL_TOWNSHIP)
        field_fail(&f, "org_level", "invalid",
                   "a women's committee is registered under a county or a township");
    steps_read(&f, &in);
    if (fields_end(&f) != 0)
        return req->status;
    int status = cadre_in_transaction(req, set_chain_step, &in);
    return status ? status : workflow_chains(req);
}

/* ------------------------------------------------------------------------------------------ */
/* A request copies its chain at its first submission */

/* The most specific chain for the organisation: its province's own, else the default. */
static const char CHAIN_FOR[] =
    "SELECT c.id FROM my_workflow_chain c JOIN my_organisation o ON o.id = ?"
    " WHERE c.kind = ? AND c.org_level = o.level"
    " AND c.org_class = IF(o.kind = 'womens_committee', 'committee', 'federation')"
    " AND o.region LIKE CONCAT(c.region, '%') ORDER BY LENGTH(c.region) DESC LIMIT 1";

static const char CHAIN_STEPS[] =
    "SELECT seq, up, role, mode FROM my_workflow_chain_step WHERE chain_id = ? ORDER BY seq";

static const char INSERT_STEP[] =
    "INSERT INTO my_workflow_request_step (request_id, seq, region, acting_region, level, role,"
    " mode) VALUES (?, ?, ?, ?, ?, ?, ?)";

int wf_copy_chain(struct request *req, struct workflow_request *r)
{
    struct db_stmt *st = db_prepare(req->db, CHAIN_FOR);
    if (!st)
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, r->organisation_id);
    db_bind_str(st, r->kind->name);
    int rc = db_execute_row(st);
    if (rc == DB_DONE)
        return http_error(req, 409, "no_chain", NULL,
                          "no chain of steps is set for a %s of this organisation",
                          r->kind->name);
    if (rc != DB_ROW)
        return http_db_error(req, rc);
    long long chain = db_col_int(st, 0);
    db_reset(st);
    struct wf_step steps[9];
    int count = 0;
    if (!(st = db_prepare(req->db, CHAIN_STEPS)))
        return http_db_error(req, db_failure(req->db));
    db_bind_int(st, chain);
    if ((rc = db_execute(st)) != DB_OK)
        return http_db_error(req, rc);
    bool usable = true;
    while (usable && count < 9 && (rc = db_fetch(st)) == DB_ROW) {
        struct wf_step *s = &steps[count++];
        s->level = r->org_level - (int)db_col_int(st, 1);
        size_t len = region_code_length(s->level >= 1 ? (enum region_level)s->level : LEVEL_NONE);
        snprintf(s->acting_region, sizeof s->acting_region, "%.*s", (int)len, r->region);
        snprintf(s->role, sizeof s->role, "%s", db_col_text(st, 2, NULL));
        snprintf(s->mode, sizeof s->mode, "%s", db_col_text(st, 3, NULL));
        usable = len > 0; /* else a step above the province: the chain is wrong for this level */
    }
    db_reset(st);
    if (rc != DB_DONE && rc != DB_ROW)
        return http_db_error(req, rc);
    if (count == 0 || !usable)
        return http_error(req, 409, "no_chain", NULL,
                          "the chain for a %s of this organisation has no usable steps",
                          r->kind->name);
    for (int i = 0; i < count; i++) {
        if (!(st = db_prepare(req->db, INSERT_STEP)))
            return http_db_error(req, db_failure(req->db));
        db_bind_int(st, r->id);
        db_bind_int(st, i + 1);
        db_bind_str(st, r->region);
        db_bind_str(st, steps[i].acting_region);
        db_bind_int(st, steps[i].level);
        db_bind_str(st, steps[i].role);
        db_bind_str(st, steps[i].mode);
        if ((rc = db_execute(st)) != DB_OK)
            return http_db_error(req, rc);
    }
    r->step_count = count;
    return 0;
}
