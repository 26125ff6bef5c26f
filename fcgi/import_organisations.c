/* The organisation import (see import_kind.h): each row an organisation, read and checked by
 * the API's own code (org_values_read, org_values_check; for one that exists, the PATCH
 * reader org_patch_values with its rules such as 会改联) and written with the API's writers.
 * The natural key is the region for a federation or women's congress (one per region) and the
 * region with the name for a women's committee: an organisation on the roll with the same data
 * is left as it is, so importing a file twice changes nothing the second time. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "http.h"
#include "import_kind.h"
#include "organisation.h"

static const char FEDERATION_OF_REGION[] =
    "SELECT id FROM my_organisation WHERE federation_of = ?";
static const char COMMITTEE_BY_NAME[] =
    "SELECT id FROM my_organisation WHERE region = ? AND name = ?"
    " AND kind = 'womens_committee' ORDER BY id LIMIT 2";

static const char *const kind_names[] = {"妇联", "妇代会", "妇委会", NULL};
static const char *const host_names[] = {"机关", "事业单位", "企业", "社会组织", NULL};

static const struct import_column organisation_columns[] = {
    {"区划代码", "region", CELL_TEXT, true, NULL, NULL,
     "所在地的统计用区划代码，如210102001；妇委会挂在乡镇（街道）或县（区）"},
    {"组织类型", "kind", CELL_ENUM, true, org_kinds, kind_names,
     "妇代会只在村；每个区划一个妇联或妇代会"},
    {"依托单位类型", "host_kind", CELL_ENUM, false, org_host_kinds, host_names, "妇委会必填"},
    {"组织名称", "name", CELL_TEXT, true, NULL, NULL, "1至200字"},
    {"本届开始日期", "term_start", CELL_DATE, false, NULL, NULL, "如2023-03-01，与任期年数同填"},
    {"任期年数", "term_years", CELL_INT, false, NULL, NULL, "3至5"},
    {"村（社区）委员会换届日期", "village_committee_election", CELL_DATE, false, NULL, NULL,
     "只填村和社区"},
    {"会改联日期", "converted_on", CELL_DATE, false, NULL, NULL, "村妇代会改为妇联的日期"},
};

/* The tallies in import_run.count. */
enum { CREATED, UPDATED, UNCHANGED };

/* The organisation the row names, if it is on the roll of the caller's jurisdiction: its id,
 * 0 when not, -1 with the answer set on a database failure; an ambiguous name is recorded as
 * an error (and answers 0). */
static long long existing(struct import_run *r, unsigned line, const struct org_values *v)
{
    bool committee = v->kind == KIND_COMMITTEE, more = false;
    int rc;
    long long id = committee
                       ? import_lookup_id(r->req, COMMITTEE_BY_NAME, v->region, v->name, &more, &rc)
                       : import_lookup_id(r->req, FEDERATION_OF_REGION, v->region, NULL, NULL, &rc);
    if (id < 0) {
        http_db_error(r->req, rc);
        return -1;
    }
    if (more) {
        import_error(r, line, "name", "ambiguous",
                     arena_printf(r->req->arena, "region %s has more than one committee named %s",
                                  v->region, v->name));
        return 0;
    }
    return id;
}

/* Brings the organisation id on the roll to what the row says, through the PATCH reader and
 * its rules; members the row leaves empty keep what it has. */
static int update(struct import_run *r, unsigned line, long long id, json_t *row,
                  struct fields *f, long long errors_before)
{
    struct request *req = r->req;
    json_t *before;
    int rc = org_read(req, id, &before);
    if (rc != DB_ROW)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    long long version = json_integer_value(json_object_get(before, "version"));
    struct org_values old = org_values_of(before), v = old;
    bool converting;
    json_object_set_new(row, "version", json_integer(version));
    org_patch_values(req, f, version, &v, &converting);
    const char *host = json_string_value(json_object_get(row, "host_kind"));
    if (host && !(old.host_kind && strcmp(host, old.host_kind) == 0))
        field_fail(f, "host_kind", "invalid", "the committee's host cannot change");
    int status = 0;
    if (import_checked(r, line, f, errors_before)) {
        if (org_values_equal(&v, &old))
            r->count[UNCHANGED]++;
        else if ((status = org_store(req, id, before, &v, converting)) == 0)
            r->count[UPDATED]++, r->changes++;
    }
    json_decref(before);
    return status;
}

static int organisation_row(struct import_run *r, unsigned line, json_t *row, struct fields *f)
{
    struct request *req = r->req;
    long long errors_before = r->error_count;
    struct org_values v;
    org_values_read(f, &v);
    bool visible = false;
    if (v.region && v.level != LEVEL_NONE) {
        int rc = org_region_visible(req, v.region);
        if (rc != DB_ROW && rc != DB_DONE)
            return http_db_error(req, rc);
        visible = rc == DB_ROW;
        if (!visible)
            import_error(r, line, "region", "not_found",
                         arena_printf(req->arena, "no region %s in your jurisdiction", v.region));
    }
    if (visible && v.name && v.kind >= 0) {
        const char *key = arena_printf(req->arena, "%s\n%s", v.region,
                                       v.kind == KIND_COMMITTEE ? v.name : "");
        import_first_time(r, line, v.kind == KIND_COMMITTEE ? "name" : "region", key);
    }
    long long id = 0;
    if (visible && !f->failed && r->error_count == errors_before &&
        (id = existing(r, line, &v)) < 0)
        return req->status;
    if (id > 0)
        return update(r, line, id, row, f, errors_before);
    org_values_check(f, &v);
    if (!import_checked(r, line, f, errors_before))
        return 0;
    int status = org_insert(req, &v, &id);
    if (status == 0)
        r->count[CREATED]++, r->changes++;
    return status;
}

static json_t *organisation_counts(const struct import_run *r)
{
    return json_pack("{s:{s:I, s:I, s:I}}", "organisations", "created",
                     (json_int_t)r->count[CREATED], "updated", (json_int_t)r->count[UPDATED],
                     "unchanged", (json_int_t)r->count[UNCHANGED]);
}

const struct import_kind import_organisations_kind = {
    .name = "organisations",
    .entity = "organisation_import",
    .columns = organisation_columns,
    .column_count = sizeof organisation_columns / sizeof organisation_columns[0],
    .row = organisation_row,
    .counts = organisation_counts,
    .state_size = 0,
};
