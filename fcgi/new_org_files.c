/* The new organisations as files: GET /api/v1/new-organisations/export, the filtered registry
 * as CSV or XLSX, whatever its size (read in keyset chunks of the list's own statement, so its
 * filters and jurisdiction hold, in one transaction so every chunk reads the same snapshot;
 * contact phones masked unless the role may see them); and GET
 * /api/v1/new-organisations/statistics/report, the coverage statistics as an XLSX report for
 * filing, laid out from the JSON of GET .../statistics so the two never disagree. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "export_chunks.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "new_org_rules.h"
#include "new_orgs.h"
#include "privacy.h"
#include "report_xlsx.h"
#include "session.h"
#include "table_out.h"

/* Rows per statement: few round trips, and a chunk of rows is all the memory an export holds. */
enum { CHUNK = 1000 };

/* The first thirteen as the import's template has them, so a file can go back and forth. */
static const char *const titles[] = {
    "区划代码",     "组织名称",         "统一社会信用代码", "类别",         "行业",
    "固定职工人数", "女职工人数",       "党组织评定",       "经营稳定",     "女职工队伍稳定",
    "有合适的妇委会主任人选", "联系人", "联系电话",         "登记地",       "建议",
    "未具备的条件", "覆盖情况",         "覆盖日期",         "联系执委数"};

static const char *const recommendation_zh[] = {"建立妇委会", "应建妇委会，条件尚未具备",
                                                "选派妇女工作联络员"};
static const char *const coverage_zh[] = {"未覆盖", "已建妇委会", "已有联络员"};

/* The Chinese name of code in codes, from names at the same index; code itself when unknown. */
static const char *name_of(const char *const *codes, const char *const *names, const char *code)
{
    for (int i = 0; code && codes[i]; i++)
        if (strcmp(codes[i], code) == 0)
            return names[i];
    return code;
}

/* The recommendation and the conditions that fail, in Chinese ("经营稳定、..."). */
static void recommendation_cells(struct table_out *t, struct db_stmt *st, struct arena *a)
{
    struct new_org_conditions c = {db_col_int(st, NEW_ORG_STABLE_OPERATION) != 0,
                                   db_col_int(st, NEW_ORG_STABLE_FEMALE_WORKFORCE) != 0,
                                   db_col_int(st, NEW_ORG_SUITABLE_CHAIR) != 0};
    enum recommendation r = new_org_recommend(db_col_int(st, NEW_ORG_FEMALE_EMPLOYEES), &c);
    const char *failing[4], *text = "";
    int n = r == RECOMMEND_COMMITTEE_CONDITIONS ? new_org_failing_conditions(&c, failing) : 0;
    for (int i = 0; i < n; i++)
        text = arena_printf(a, "%s%s%s", text, i ? "、" : "",
                            name_of(new_org_conditions, new_org_condition_names, failing[i]));
    table_text(t, recommendation_zh[r]);
    table_text(t, text);
}

static void export_row(struct table_out *t, struct db_stmt *st, bool unmasked, struct arena *a)
{
    const char *phone = db_col_text(st, NEW_ORG_CONTACT_PHONE, NULL);
    char masked[32];
    if (phone && !unmasked) {
        privacy_mask_mobile(phone, masked, sizeof masked);
        phone = masked;
    }
    table_text(t, db_col_text(st, NEW_ORG_REGION, NULL));
    table_text(t, db_col_text(st, NEW_ORG_NAME, NULL));
    table_text(t, db_col_text(st, NEW_ORG_CREDIT_CODE, NULL));
    table_text(t, name_of(new_org_kinds, new_org_kind_names, db_col_text(st, NEW_ORG_KIND, NULL)));
    table_text(t, db_col_text(st, NEW_ORG_SECTOR, NULL));
    table_number(t, db_col_int(st, NEW_ORG_EMPLOYEES));
    table_number(t, db_col_int(st, NEW_ORG_FEMALE_EMPLOYEES));
    table_text(t, name_of(new_org_ratings, new_org_rating_names,
                          db_col_text(st, NEW_ORG_RATING, NULL)));
    for (int i = NEW_ORG_STABLE_OPERATION; i <= NEW_ORG_SUITABLE_CHAIR; i++)
        table_text(t, db_col_int(st, i) ? "是" : "否");
    table_text(t, db_col_text(st, NEW_ORG_CONTACT_NAME, NULL));
    table_text(t, phone);
    table_text(t, db_col_text(st, NEW_ORG_REGION_NAME, NULL));
    recommendation_cells(t, st, a);
    table_text(t, name_of(new_org_coverages, coverage_zh,
                          db_col_text(st, NEW_ORG_COVERAGE, NULL)));
    table_text(t, db_col_text(st, NEW_ORG_COVERED_ON, NULL));
    table_number(t, db_col_int(st, NEW_ORG_LINK_COUNT));
}

/* An export of the registry: its query, and whether phones are shown. */
struct registry_list {
    struct new_org_list_query q;
    bool unmasked;
    struct arena *arena;
};

static int registry_next(struct request *req, void *list, struct db_stmt **st)
{
    return new_org_list_execute(req, &((struct registry_list *)list)->q, st);
}

static void registry_cells(struct table_out *t, struct db_stmt *st, void *list)
{
    struct registry_list *l = list;
    export_row(t, st, l->unmasked, l->arena);
}

static void registry_remember(struct db_stmt *st, void *list)
{
    struct new_org_list_query *q = &((struct registry_list *)list)->q;
    snprintf(q->after_region, sizeof q->after_region, "%s", db_col_text(st, NEW_ORG_REGION, NULL));
    q->after_id = db_col_int(st, NEW_ORG_ID);
}

static const struct export_chunks registry_chunks = {.limit = CHUNK,
                                                     .execute = registry_next,
                                                     .row = registry_cells,
                                                     .remember = registry_remember};

int new_orgs_export(struct request *req)
{
    enum table_format format;
    struct registry_list l = {.unmasked = privacy_allowed(req->cfg, req->session->who.roles),
                              .arena = req->arena};
    if (table_format_read(req, &format) != 0 || new_org_list_read(req, &l.q) != 0)
        return req->status;
    l.q.limit = CHUNK;
    char today[11];
    date_today(today);
    struct table_out *t = table_open(
        req, format, "两新组织", arena_printf(req->arena, "两新组织-%s-%s", l.q.under, today),
        arena_printf(req->arena, "new-organisations-%s-%s", l.q.under, today), titles,
        (int)(sizeof titles / sizeof titles[0]));
    if (!t)
        return req->status;
    return export_chunks_run(req, t, &registry_chunks, &l);
}

/* ------------------------------------------------------------------------------------------ */
/* The coverage report */

#define TABLE_NUMBER "妇基统2表"

static const struct report_column columns[] = {
    {"两新组织（个）", "合计", "new_organisations", REPORT_COUNT},
    {NULL, "已建妇委会", "with_committee", REPORT_COUNT},
    {NULL, "已有联络员", "with_liaison_officer", REPORT_COUNT},
    {NULL, "未覆盖", "uncovered", REPORT_COUNT},
    {"覆盖", "建会率", "formation_rate", REPORT_RATE},
    {NULL, "覆盖率", "coverage_rate", REPORT_RATE},
    {"执委联系", "联系执委（人）", "linked_executive_members", REPORT_COUNT},
    {NULL, "联系（个）", "links", REPORT_COUNT},
    {NULL, "执委人均联系", "links_per_executive_member", REPORT_RATIO},
    {"走访", "达标联系（个）", "links_visited_enough", REPORT_COUNT},
    {NULL, "走访达标率", "visit_compliance", REPORT_RATE},
};

int new_org_statistics_report(struct request *req)
{
    json_t *doc;
    int status = new_org_statistics_read(req, &doc);
    if (status)
        return status;
    const json_t *children = json_object_get(doc, "children"),
                 *total = json_object_get(doc, "total"),
                 *here = json_object_get(doc, "registered_here");
    const char *code = json_string_value(json_object_get(total, "region")),
               *name = json_string_value(json_object_get(total, "name"));
    int count = (int)json_array_size(children) + 2;
    struct report_row *rows = arena_zalloc(req->arena, (size_t)count * sizeof *rows);
    size_t i;
    const json_t *child;
    json_array_foreach(children, i, child)
        rows[i] = (struct report_row){json_string_value(json_object_get(child, "name")),
                                      json_string_value(json_object_get(child, "region")), child,
                                      false};
    rows[count - 2] =
        (struct report_row){arena_printf(req->arena, "%s本级", name ? name : ""), code, here, false};
    rows[count - 1] = (struct report_row){"合计", "", total, true};
    char today[11];
    date_today(today);
    struct report r = {
        .sheet = "覆盖统计", .title = "两新组织妇女工作覆盖情况统计表",
        .table_number = TABLE_NUMBER, .region_name = name, .region_code = code, .as_of = today,
        .note = "说明：覆盖指已建妇委会或已有妇女工作联络员；建会率为已建妇委会的组织占两新组织的比例；"
                "联系与走访按现有联系计，走访达标指本年度走访不少于两次；本级指登记在本区划本身的组织。",
        .columns = columns, .column_count = sizeof columns / sizeof columns[0], .rows = rows,
        .row_count = count};
    status = report_send(req, &r, arena_printf(req->arena, "两新组织覆盖统计-%s-%s.xlsx", code, today),
                         arena_printf(req->arena, "new-organisations-coverage-%s-%s.xlsx", code,
                                      today));
    json_decref(doc);
    return status;
}
