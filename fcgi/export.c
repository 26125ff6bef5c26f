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

/* Writes the chunks of q from its keyset position on. DB_OK or an error; *gone when the
 * client left. */
static int roster_chunks(struct request *req, struct table_out *t, struct roster_query *q,
                         int depth, bool *gone)
{
    char today[11], two_years_ago[11], key[300];
    date_today(today);
    cadre_years_before(today, 2, two_years_ago);
    bool allowed = privacy_allowed(req->cfg, req->session->who.roles), more = true;
    int rc = DB_OK;
    while (more && rc == DB_OK && !*gone) {
        struct db_stmt *st;
        if ((rc = roster_execute(req, q, depth, two_years_ago, &st)) != DB_OK)
            break;
        long count = 0;
        more = false;
        while ((rc = db_fetch(st)) == DB_ROW) {
            if (count == q->limit || *gone) {
                more = !*gone;
                continue;
            }
            roster_row(t, st, allowed, today, two_years_ago);
            *gone = table_end_row(t) != 0;
            if (++count == q->limit) {
                snprintf(key, sizeof key, "%s", roster_sort_key(st, q->sort));
                q->after_key = key;
                q->after_id = db_col_int(st, ROSTER_POSITION_ID);
            }
        }
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    return rc;
}

int roster_export(struct request *req)
{
    enum table_format format;
    struct roster_query q;
    if (table_format_read(req, &format) != 0 || roster_query_read(req, &q) != 0)
        return req->status;
    q.limit = CHUNK;
    int depth;
    bool any = roster_subtree_depth(req, &q, &depth);
    const char *code = q.under ? q.under : req->session->who.region;
    char today[11];
    date_today(today);
    struct table_out *t =
        table_open(req, format, "干部名册", arena_printf(req->arena, "干部名册-%s-%s", code, today),
                   arena_printf(req->arena, "roster-%s-%s", code, today), roster_titles,
                   (int)(sizeof roster_titles / sizeof roster_titles[0]));
    if (!t)
        return req->status;
    bool gone = false;
    int rc = db_begin(req->db);
    if (rc == DB_OK && any)
        rc = roster_chunks(req, t, &q, depth, &gone);
    db_rollback(req->db); /* it only read */
    return table_export_end(req, t, rc, gone);
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

static int org_chunks(struct request *req, struct table_out *t, struct org_list_query *q,
                      bool *gone)
{
    bool more = true;
    int rc = DB_OK;
    while (more && rc == DB_OK && !*gone) {
        struct db_stmt *st;
        if ((rc = org_list_execute(req, q, &st)) != DB_OK)
            break;
        long count = 0;
        more = false;
        while ((rc = db_fetch(st)) == DB_ROW) {
            if (db_col_null(st, O_ID))
                continue; /* the row about `under`, checked before */
            if (count == q->limit || *gone) {
                more = !*gone;
                continue;
            }
            org_row(t, st);
            *gone = table_end_row(t) != 0;
            if (++count == q->limit) {
                snprintf(q->after_region, sizeof q->after_region, "%s",
                         db_col_text(st, O_REGION, NULL));
                q->after_id = db_col_int(st, O_ID);
            }
        }
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    return rc;
}

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
    bool gone = false;
    int rc = db_begin(req->db);
    if (rc == DB_OK)
        rc = org_chunks(req, t, &q, &gone);
    db_rollback(req->db); /* it only read */
    return table_export_end(req, t, rc, gone);
}
