/* The import of new economic and social organisations (see import_kind.h): each row one
 * organisation, read and checked by the API's own code (new_org_values_read and _check, the
 * region a township or county of the caller's jurisdiction as POST /new-organisations wants)
 * and written with the API's writers. The natural key is the unified social credit code: an
 * organisation on the roll with the same data is left as it is, so importing a file twice
 * changes nothing the second time; one whose row differs is updated (its version goes up and
 * the audit log has the change), its empty cells keeping what it holds. The file's codes are
 * looked up a hundred to a statement before the rows. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "db_rows.h"
#include "http.h"
#include "import_kind.h"
#include "new_org_rules.h"
#include "new_orgs.h"
#include "region_code.h"

#define TEN_PLACES "?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
#define HUNDRED_PLACES                                                                         \
    TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES \
               ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES ", " TEN_PLACES
enum { PREFETCH = 100 };
static const char NEW_ORGS_BY_CREDIT_CODE[] =
    "SELECT credit_code, id FROM my_new_org WHERE credit_code IN (" HUNDRED_PLACES ")";

static const char *const yes_no[] = {"是", "否", NULL};

static const struct import_column new_org_columns[] = {
    {"区划代码", "region", CELL_TEXT, true, NULL, NULL,
     "登记地的乡镇（街道）9位或县（区）6位统计用区划代码，如210102001"},
    {"组织名称", "name", CELL_TEXT, true, NULL, NULL, "1至200字"},
    {"统一社会信用代码", "credit_code", CELL_TEXT, true, NULL, NULL,
     "18位，按GB 32100校验末位；已登记的代码更新该组织"},
    {"类别", "kind", CELL_ENUM, true, new_org_kinds, new_org_kind_names, NULL},
    {"行业", "sector", CELL_TEXT, true, NULL, NULL, "1至60字，如制造业"},
    {"固定职工人数", "employees", CELL_INT, true, NULL, NULL, "0或正整数"},
    {"女职工人数", "female_employees", CELL_INT, true, NULL, NULL, "不多于固定职工人数"},
    {"党组织评定", "party_rating", CELL_ENUM, false, new_org_ratings,
     new_org_rating_names,
     "空：新登记的为无，已登记的不变"},
    {"经营稳定", "stable_operation", CELL_BOOL, false, NULL, yes_no,
     "空：新登记的为否，已登记的不变"},
    {"女职工队伍稳定", "stable_female_workforce", CELL_BOOL, false, NULL, yes_no,
     "空：新登记的为否，已登记的不变"},
    {"有合适的妇委会主任人选", "suitable_chair", CELL_BOOL, false, NULL, yes_no,
     "空：新登记的为否，已登记的不变"},
    {"联系人", "contact_name", CELL_TEXT, false, NULL, NULL, "1至64字"},
    {"联系电话", "contact_phone", CELL_TEXT, false, NULL, NULL, "7至20位数字，可用-分隔"},
};

/* The tallies in import_run.count. */
enum { CREATED, UPDATED, UNCHANGED };

/* The kind's own state of a run. */
struct new_org_state {
    json_t *levels; /* region code -> its level; 0 when the caller's view has no such region */
    json_t *known;  /* credit code -> id of the organisations on the roll the file names */
};

static void release(void *json)
{
    json_decref(json);
}

/* The level of region as the caller's view has it (0: not in the jurisdiction), with its name
 * in *name, each region asked once per file; -1 with the answer set on a database failure. */
static long long region_level(struct import_run *r, const char *region, const char **name)
{
    struct new_org_state *s = r->state;
    if (!s->levels) {
        s->levels = json_object();
        arena_cleanup(r->req->arena, release, s->levels);
    }
    json_t *known = json_object_get(s->levels, region);
    if (!known) {
        long long level = 0;
        int rc = new_org_region_level(r->req, region, &level, name);
        if (rc != DB_ROW && rc != DB_DONE) {
            http_db_error(r->req, rc);
            return -1;
        }
        known = json_pack("{s:I, s:s}", "level", (json_int_t)(rc == DB_ROW ? level : 0), "name",
                          rc == DB_ROW ? *name : "");
        json_object_set_new(s->levels, region, known);
    }
    *name = json_string_value(json_object_get(known, "name"));
    return json_integer_value(json_object_get(known, "level"));
}

/* Records an error unless v's region is a township or county of the jurisdiction, and sets
 * its name. Returns 0, or -1 with the answer set on a database failure. */
static int check_region(struct import_run *r, unsigned line, struct new_org_values *v)
{
    const char *region = v->region;
    long long level = region_level(r, region, &v->region_name);
    if (level < 0)
        return -1;
    if (level == 0)
        import_error(r, line, "region", "not_found",
                     arena_printf(r->req->arena, "no region %s in your jurisdiction", region));
    else if (level != LEVEL_COUNTY && level != LEVEL_TOWNSHIP)
        import_error(r, line, "region", "invalid",
                     "a new organisation is registered under a county or a township");
    return 0;
}

/* Adds the organisations on the roll among codes[0..n) to the state's known ones. */
static int prefetch(struct import_run *r, const char **codes, int n)
{
    struct new_org_state *s = r->state;
    struct db_stmt *st = db_prepare(r->req->db, NEW_ORGS_BY_CREDIT_CODE);
    if (!st)
        return http_db_error(r->req, db_failure(r->req->db));
    db_rows_bind_texts(st, codes, n, PREFETCH);
    int rc = db_execute(st);
    if (rc == DB_OK)
        while ((rc = db_fetch(st)) == DB_ROW)
            json_object_set_new(s->known, db_col_text(st, 0, NULL),
                                json_integer(db_col_int(st, 1)));
    return rc == DB_DONE ? 0 : http_db_error(r->req, rc);
}

/* Finds which of the file's credit codes are on the roll of the jurisdiction, a hundred to a
 * statement: then a new row costs only its writes. */
static int new_org_prepare(struct import_run *r, const struct import_table *t)
{
    struct new_org_state *s = r->state;
    s->known = json_object();
    arena_cleanup(r->req->arena, release, s->known);
    const char *codes[PREFETCH];
    int n = 0, status = 0;
    for (size_t i = 1; i <= t->count && status == 0; i++) {
        const char *code = i < t->count ? import_cell(r, &t->records[i], "credit_code") : "";
        if (strlen(code) == CREDIT_CODE_LENGTH) {
            char *copy = arena_strdup(r->req->arena, code);
            credit_code_normalise(copy);
            codes[n++] = copy;
        }
        if (n == PREFETCH || (i == t->count && n > 0)) {
            status = prefetch(r, codes, n);
            n = 0;
        }
    }
    return status;
}

/* Brings the organisation id on the roll to what the row says; the cells the row leaves empty
 * keep what it holds. */
static int update(struct import_run *r, unsigned line, long long id, struct new_org_values *v,
                  struct fields *f, long long errors_before)
{
    struct request *req = r->req;
    int rc;
    json_t *before = new_org_row(req, id, true, true, &rc);
    if (!before)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    const char *region = json_string_value(json_object_get(before, "region"));
    if (strcmp(region, v->region) != 0)
        field_fail(f, "region", "invalid",
                   "the organisation with this credit code is registered under %s; the region"
                   " cannot be changed",
                   region);
    struct new_org_values old = {.kind = -1, .rating = -1, .employees = -1,
                                 .female_employees = -1, .conditions = {-1, -1, -1}};
    new_org_values_merge(&old, before);
    new_org_values_merge(v, before);
    new_org_values_check(f, v);
    int status = 0;
    if (import_checked(r, line, f, errors_before)) {
        if (new_org_values_equal(v, &old))
            r->count[UNCHANGED]++;
        else if ((rc = new_org_store(req, id, before, v)) == DB_OK)
            r->count[UPDATED]++, r->changes++;
        else
            status = http_db_error(req, rc);
    }
    json_decref(before);
    return status;
}

static int new_org_import_row(struct import_run *r, unsigned line, json_t *row, struct fields *f)
{
    (void)row;
    struct request *req = r->req;
    long long errors_before = r->error_count, id = 0;
    struct new_org_values v = {0};
    v.region = field_text(f, "region", 1, 12, REQUIRED);
    new_org_values_read(f, &v, REQUIRED);
    if (v.region && check_region(r, line, &v) != 0)
        return req->status;
    /* A duplicate is told whatever else is wrong with the row, once its code is one. */
    if (v.credit_code && credit_code_check(v.credit_code) == CREDIT_CODE_OK)
        import_first_time(r, line, "credit_code", v.credit_code);
    if (!f->failed && r->error_count == errors_before)
        id = json_integer_value(json_object_get(((struct new_org_state *)r->state)->known,
                                                v.credit_code));
    if (id > 0)
        return update(r, line, id, &v, f, errors_before);
    new_org_values_check(f, &v);
    if (!import_checked(r, line, f, errors_before))
        return 0;
    int rc = new_org_insert(req, &v, &id);
    if (rc == DB_DUPLICATE) /* registered outside the jurisdiction */
        import_error(r, line, "credit_code", "duplicate",
                     "an organisation with this credit code is registered already");
    else if (rc != DB_OK)
        return http_db_error(req, rc);
    else
        r->count[CREATED]++, r->changes++;
    return 0;
}

static json_t *new_org_counts(const struct import_run *r)
{
    return json_pack("{s:{s:I, s:I, s:I}}", "new_organisations", "created",
                     (json_int_t)r->count[CREATED], "updated", (json_int_t)r->count[UPDATED],
                     "unchanged", (json_int_t)r->count[UNCHANGED]);
}

const struct import_kind import_new_orgs_kind = {
    .name = "new-organisations",
    .entity = "new_org_import",
    .columns = new_org_columns,
    .column_count = sizeof new_org_columns / sizeof new_org_columns[0],
    .row = new_org_import_row,
    .prepare = new_org_prepare,
    .counts = new_org_counts,
    .state_size = sizeof(struct new_org_state),
};
