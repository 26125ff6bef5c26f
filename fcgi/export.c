/* GET /api/v1/roster/export and /api/v1/organisations/export: the filtered lists as CSV or
 * XLSX, whatever their size. The rows are read in keyset chunks of the lists' own statements
 * (so the filters, sorts and jurisdiction are theirs) inside one transaction, so every chunk
 * reads the same snapshot, and each chunk is written out before the next is read: memory holds
 * one chunk, never the list. ID and mobile numbers are masked unless the role may see them. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"
#include "db.h"
#include "export_chunks.h"
#include "fields.h"
#include "handlers.h"
#include "http.h"
#include "labels.h"
#include "log.h"
#include "organisation.h"
#include "privacy.h"
#include "roster.h"
#include "session.h"
#include "table_out.h"

/* Rows per statement: few round trips, and a chunk of rows is all the memory an export holds. */
enum { CHUNK = 1000 };

static const char REGION_VISIBLE[] = "SELECT COUNT(*) FROM my_region WHERE code = ?";

static const char *const roster_titles[] = {
    "姓名",     "性别",     "出生日期", "年龄",     "学历",     "政治面貌", "身份证号",
    "手机号码", "所在组织", "区划代码", "组织层级", "组织类型", "职务",     "专职/兼职",
    "进两委",   "任职日期", "本届开始", "最近培训", "应参加培训"};

static const char *const org_titles[] = {
    "组织名称", "区划代码",   "区划名称",   "层级",           "组织类型", "依托单位",
    "会改联日期", "本届开始", "任期（年）", "本届届满", "村（社区）委员会选举", "下次换届"};

static const char *yes_no(bool yes)
{
    return yes ? "是" : "否";
}

/* ------------------------------------------------------------------------------------------ */
/* The roster */

static void roster_row(struct table_out *t, struct db_stmt *st, bool allowed, const char *today,
                       const char *two_years_ago)
{
    const char *birth = db_col_text(st, ROSTER_BIRTH_DATE, NULL),
               *id_number = db_col_text(st, ROSTER_ID_NUMBER, NULL),
               *mobile = db_col_text(st, ROSTER_MOBILE, NULL),
               *last = db_col_text(st, ROSTER_LAST_TRAINING, NULL);
    long long level = db_col_int(st, ROSTER_LEVEL);
    char masked_id[64], masked_mobile[64];
    if (id_number && !allowed) {
        privacy_mask_id_number(id_number, masked_id, sizeof masked_id);
        id_number = masked_id;
    }
    if (mobile && !allowed) {
        privacy_mask_mobile(mobile, masked_mobile, sizeof masked_mobile);
        mobile = masked_mobile;
    }
    table_text(t, db_col_text(st, ROSTER_NAME, NULL));
    table_text(t, label_zh(db_col_text(st, ROSTER_GENDER, NULL)));
    table_text(t, birth);
    table_number(t, cadre_age(birth ? birth : today, today));
    table_text(t, label_zh(db_col_text(st, ROSTER_EDUCATION, NULL)));
    table_text(t, label_zh(db_col_text(st, ROSTER_POLITICAL, NULL)));
    table_text(t, id_number);
    table_text(t, mobile);
    table_text(t, db_col_text(st, ROSTER_ORG_NAME, NULL));
    table_text(t, db_col_text(st, ROSTER_REGION, NULL));
    table_text(t, level >= 1 && level <= 5 ? label_zh(cadre_levels[level - 1]) : "");
    table_text(t, label_zh(db_col_text(st, ROSTER_KIND, NULL)));
    table_text(t, label_zh(db_col_text(st, ROSTER_ROLE, NULL)));
    table_text(t, db_col_int(st, ROSTER_FULL_TIME) ? "专职" : "兼职");
    table_text(t, yes_no(db_col_int(st, ROSTER_IN_TWO) != 0));
    table_text(t, db_col_text(st, ROSTER_START_DATE, NULL));
    table_text(t, db_col_text(st, ROSTER_TERM_START, NULL));
    table_text(t, last);
    table_text(t, yes_no(cadre_training_due(last, db_col_text(st, ROSTER_TERM_START, NULL),
                                            two_years_ago)));
}

/* A roster export: its query, and what its rows need. */
struct roster_list {
    struct roster_query q;
    int depth;
    bool allowed;
    char today[11], two_years_ago[11], key[300];
};

static int roster_next(struct request *req, void *list, struct db_stmt **st)
{
    struct roster_list *l = list;
    return roster_execute(req, &l->q, l->depth, l->two_years_ago, st);
}

static void roster_cells(struct table_out *t, struct db_stmt *st, void *list)
{
    struct roster_list *l = list;
    roster_row(t, st, l->allowed, l->today, l->two_years_ago);
}

static void roster_remember(struct db_stmt *st, void *list)
{
    struct roster_list *l = list;
    snprintf(l->key, sizeof l->key, "%s", roster_sort_key(st, l->q.sort));
    l->q.after_key = l->key;
    l->q.after_id = db_col_int(st, ROSTER_POSITION_ID);
}

static const struct export_chunks roster_chunks = {
    .limit = CHUNK, .execute = roster_next, .row = roster_cells, .remember = roster_remember};

int roster_export(struct request *req)
{
    enum table_format format;
    struct roster_list l = {.allowed = privacy_allowed(req->cfg, req->session->who.roles)};
    if (table_format_read(req, &format) != 0 || roster_query_read(req, &l.q) != 0)
        return req->status;
    l.q.limit = CHUNK;
    bool any = roster_subtree_depth(req, &l.q, &l.depth);
    date_today(l.today);
    cadre_years_before(l.today, 2, l.two_years_ago);
    const char *code = l.q.under ? l.q.under : req->session->who.region;
    struct table_out *t = table_open(
        req, format, "干部名册", arena_printf(req->arena, "干部名册-%s-%s", code, l.today),
        arena_printf(req->arena, "roster-%s-%s", code, l.today), roster_titles,
        (int)(sizeof roster_titles / sizeof roster_titles[0]));
    if (!t)
        return req->status;
    if (!any)
        return table_export_end(req, t, DB_OK, false); /* the header alone */
    return export_chunks_run(req, t, &roster_chunks, &l);
}

/* ------------------------------------------------------------------------------------------ */
/* The organisations */

/* The ORG_COLUMNS after the visibility column of the list's rows. */
enum { O_ID = 1, O_REGION, O_REGION_NAME, O_LEVEL, O_KIND, O_HOST, O_NAME, O_CONVERTED,
       O_TERM_START, O_TERM_YEARS, O_TERM_END, O_VILLAGE_ELECTION, O_NEXT_DUE };

static void org_row(struct table_out *t, struct db_stmt *st)
{
    long long level = db_col_int(st, O_LEVEL);
    table_text(t, db_col_text(st, O_NAME, NULL));
    table_text(t, db_col_text(st, O_REGION, NULL));
    table_text(t, db_col_text(st, O_REGION_NAME, NULL));
    table_text(t, level >= 1 && level <= 5 ? label_zh(org_levels[level - 1]) : "");
    table_text(t, label_zh(db_col_text(st, O_KIND, NULL)));
    table_text(t, label_zh(db_col_text(st, O_HOST, NULL)));
    table_text(t, db_col_text(st, O_CONVERTED, NULL));
    table_text(t, db_col_text(st, O_TERM_START, NULL));
    if (db_col_null(st, O_TERM_YEARS))
        table_text(t, NULL);
    else
        table_number(t, db_col_int(st, O_TERM_YEARS));
    table_text(t, db_col_text(st, O_TERM_END, NULL));
    table_text(t, db_col_text(st, O_VILLAGE_ELECTION, NULL));
    table_text(t, db_col_text(st, O_NEXT_DUE, NULL));
}

static int org_next(struct request *req, void *list, struct db_stmt **st)
{
    return org_list_execute(req, list, st);
}

static bool org_skip(struct db_stmt *st)
{
    return db_col_null(st, O_ID); /* the row about `under`, checked before */
}

static void org_cells(struct table_out *t, struct db_stmt *st, void *list)
{
    (void)list;
    org_row(t, st);
}

static void org_remember(struct db_stmt *st, void *list)
{
    struct org_list_query *q = list;
    snprintf(q->after_region, sizeof q->after_region, "%s", db_col_text(st, O_REGION, NULL));
    q->after_id = db_col_int(st, O_ID);
}

static const struct export_chunks org_chunks = {.limit = CHUNK,
                                                .execute = org_next,
                                                .skip = org_skip,
                                                .row = org_cells,
                                                .remember = org_remember};

/* DB_ROW when the caller sees the region code, DB_DONE when not, or an error. */
static int region_visible(struct request *req, const char *code)
{
    struct db_stmt *st = db_prepare(req->db, REGION_VISIBLE);
    if (!st)
        return db_failure(req->db);
    db_bind_str(st, code);
    int rc = db_execute(st);
    if (rc == DB_OK && (rc = db_fetch(st)) == DB_ROW) {
        rc = db_col_int(st, 0) > 0 ? DB_ROW : DB_DONE;
        db_reset(st);
    }
    return rc;
}

int organisations_export(struct request *req)
{
    enum table_format format;
    struct org_list_query q;
    if (table_format_read(req, &format) != 0 || org_list_read(req, &q) != 0)
        return req->status;
    q.limit = CHUNK;
    if (q.under) {
        int rc = region_visible(req, q.under);
        if (rc == DB_DONE)
            return http_error(req, 404, NULL, "under", "no region %s in your jurisdiction",
                              q.under);
        if (rc != DB_ROW)
            return http_db_error(req, rc);
    }
    const char *code = q.under ? q.under : req->session->who.region;
    char today[11];
    date_today(today);
    struct table_out *t =
        table_open(req, format, "组织名录", arena_printf(req->arena, "组织名录-%s-%s", code, today),
                   arena_printf(req->arena, "organisations-%s-%s", code, today), org_titles,
                   (int)(sizeof org_titles / sizeof org_titles[0]));
    if (!t)
        return req->status;
    return export_chunks_run(req, t, &org_chunks, &q);
}
