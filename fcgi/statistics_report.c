/* GET /api/v1/statistics/{code}/report: the statistics of GET /api/v1/statistics/{code} as an
 * XLSX report for filing: a title, the table number, the reporting region and date, two rows of
 * Chinese headers, a row per child region, the region's own row and the total. Laid out from
 * the same JSON document the API answers, so the two never disagree. */
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "arena.h"
#include "handlers.h"
#include "http.h"
#include "log.h"
#include "statistics.h"
#include "table_out.h"

/* The number the report is filed under. */
#define TABLE_NUMBER "妇基统1表"

static const char XLSX_TYPE[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* A column: its group (the first header row; NULL continues the group before), its title, and
 * the value: '+'-separated paths into a row's figures, summed (an object sums its members). */
struct column {
    const char *group, *title, *path;
    bool rate;
};

static const struct column columns[] = {
    {"组织数（个）", "妇联", "organisations.federation", false},
    {NULL, "妇代会", "organisations.womens_congress", false},
    {NULL, "妇委会", "organisations.womens_committee", false},
    {NULL, "合计", "organisations.total", false},
    {"妇联组建", "区划数", "formation.total.regions", false},
    {NULL, "已建妇联", "formation.total.with_federation", false},
    {NULL, "建会率", "formation.total.rate", true},
    {"会改联", "已转", "conversion.converted", false},
    {NULL, "未转", "conversion.congresses", false},
    {NULL, "转换率", "conversion.rate", true},
    {"领导班子（人）", "主席", "offices.chair", false},
    {NULL, "专职副主席", "offices.vice_chair_full_time", false},
    {NULL, "兼职副主席", "offices.vice_chair_part_time", false},
    {NULL, "常委", "offices.standing_member", false},
    {NULL, "执委", "offices.executive_member", false},
    {NULL, "妇代会主任", "offices.congress_director", false},
    {NULL, "联络员", "offices.liaison_officer", false},
    {"村（社区）妇联主席", "人数", "village_chairs.total", false},
    {NULL, "进两委", "village_chairs.in_two_committees", false},
    {NULL, "进两委比例", "village_chairs.share", true},
    {"干部（人次）", "合计", "cadres.total", false},
    {NULL, "35岁及以下", "cadres.age.35_and_under", false},
    {NULL, "36至45岁", "cadres.age.36_to_45", false},
    {NULL, "46至55岁", "cadres.age.46_to_55", false},
    {NULL, "56岁及以上", "cadres.age.56_and_over", false},
    {NULL, "初中及以下", "cadres.education.primary+cadres.education.junior_high", false},
    {NULL, "高中、中专", "cadres.education.senior_high+cadres.education.vocational", false},
    {NULL, "大专", "cadres.education.junior_college", false},
    {NULL, "本科", "cadres.education.bachelor", false},
    {NULL, "研究生", "cadres.education.master+cadres.education.doctorate", false},
    {NULL, "党员", "cadres.party_members", false},
    {NULL, "党员比例", "cadres.party_share", true},
    {NULL, "两年内受训", "cadres.trained_last_two_years", false},
    {NULL, "受训比例", "cadres.trained_share", true},
    {NULL, "本年新增", "cadres.added_this_year", false},
};
enum { COLUMNS = sizeof columns / sizeof columns[0], FIRST = 2, HEAD = 3 };

/* The value of one '.'-separated path in figures; NULL when it leads nowhere. */
static const json_t *at(const json_t *figures, const char *path, size_t len)
{
    const json_t *v = figures;
    while (v && len) {
        size_t part = strcspn(path, ".");
        if (part > len)
            part = len;
        char key[48];
        snprintf(key, sizeof key, "%.*s", (int)part, path);
        v = json_object_get(v, key);
        path += part, len -= part;
        if (len)
            path++, len--;
    }
    return v;
}

/* The sum of a column's paths; *none when a rate has no value (nothing to divide by). */
static double value_of(const json_t *figures, const char *paths, bool *none)
{
    double sum = 0;
    *none = false;
    while (*paths) {
        size_t len = strcspn(paths, "+");
        const json_t *v = at(figures, paths, len);
        const char *key;
        json_t *member;
        if (json_is_object(v)) {
            json_object_foreach((json_t *)v, key, member)
                sum += json_number_value(member);
        } else if (json_is_number(v)) {
            sum += json_number_value(v);
        } else {
            *none = true;
        }
        paths += len + (paths[len] == '+');
    }
    return sum;
}

struct formats {
    lxw_format *title, *note, *head, *text, *count, *rate, *total_text, *total_count,
        *total_rate;
};

static lxw_format *format_new(lxw_workbook *wb, bool bold, const char *number)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_font_size(f, 10);
    if (bold)
        format_set_bold(f);
    if (number)
        format_set_num_format(f, number);
    return f;
}

static void formats_make(lxw_workbook *wb, struct formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    f->note = workbook_add_format(wb);
    format_set_font_size(f->note, 10);
    f->head = format_new(wb, true, NULL);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->head);
    format_set_bg_color(f->head, 0xDDEBF7);
    f->text = format_new(wb, false, NULL);
    f->count = format_new(wb, false, "0");
    f->rate = format_new(wb, false, "0.0%");
    f->total_text = format_new(wb, true, NULL);
    f->total_count = format_new(wb, true, "0");
    f->total_rate = format_new(wb, true, "0.0%");
}

/* The title, the table number, the region and date, and the two header rows. */
static void write_head(lxw_worksheet *ws, const struct formats *f, const json_t *doc)
{
    const json_t *region = json_object_get(doc, "region");
    const char *name = json_string_value(json_object_get(region, "name")),
               *code = json_string_value(json_object_get(region, "code")),
               *as_of = json_string_value(json_object_get(doc, "as_of"));
    char text[256];
    lxw_col_t last = FIRST + COLUMNS - 1;
    worksheet_merge_range(ws, 0, 0, 0, last, "妇联基层组织建设情况统计表", f->title);
    snprintf(text, sizeof text, "表号：%s", TABLE_NUMBER);
    worksheet_write_string(ws, 1, 0, text, f->note);
    snprintf(text, sizeof text, "填报单位：%s（%s）", name, code);
    worksheet_write_string(ws, 1, 4, text, f->note);
    snprintf(text, sizeof text, "统计日期：%s", as_of);
    worksheet_write_string(ws, 1, last - 3, text, f->note);
    worksheet_merge_range(ws, HEAD, 0, HEAD + 1, 0, "区划", f->head);
    worksheet_merge_range(ws, HEAD, 1, HEAD + 1, 1, "区划代码", f->head);
    for (int i = 0; i < COLUMNS; i++) {
        if (columns[i].group) {
            int span = 1;
            while (i + span < COLUMNS && !columns[i + span].group)
                span++;
            lxw_col_t from = (lxw_col_t)(FIRST + i), to = (lxw_col_t)(FIRST + i + span - 1);
            if (span > 1)
                worksheet_merge_range(ws, HEAD, from, HEAD, to, columns[i].group, f->head);
            else
                worksheet_write_string(ws, HEAD, from, columns[i].group, f->head);
        }
        worksheet_write_string(ws, HEAD + 1, (lxw_col_t)(FIRST + i), columns[i].title, f->head);
    }
    worksheet_set_row(ws, HEAD + 1, 30, NULL);
    worksheet_set_column(ws, 0, 0, 16, NULL);
    worksheet_set_column(ws, 1, 1, 13, NULL);
    worksheet_set_column(ws, FIRST, last, 9, NULL);
    worksheet_freeze_panes(ws, HEAD + 2, FIRST);
}

static void write_row(lxw_worksheet *ws, const struct formats *f, lxw_row_t row,
                      const char *name, const char *code, const json_t *figures, bool total)
{
    worksheet_write_string(ws, row, 0, name ? name : "", total ? f->total_text : f->text);
    worksheet_write_string(ws, row, 1, code ? code : "", total ? f->total_text : f->text);
    for (int i = 0; i < COLUMNS; i++) {
        bool none;
        double v = value_of(figures, columns[i].path, &none);
        lxw_format *format = columns[i].rate ? (total ? f->total_rate : f->rate)
                                             : (total ? f->total_count : f->count);
        lxw_col_t col = (lxw_col_t)(FIRST + i);
        if (none)
            worksheet_write_blank(ws, row, col, format);
        else
            worksheet_write_number(ws, row, col, v, format);
    }
}

/* Writes the report of doc into the workbook file at path. LXW_NO_ERROR or the error. */
static lxw_error write_report(const char *path, const json_t *doc)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return LXW_ERROR_CREATING_XLSX_FILE;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "统计表");
    struct formats f;
    formats_make(wb, &f);
    write_head(ws, &f, doc);
    lxw_row_t row = HEAD + 2;
    size_t i;
    const json_t *child;
    json_array_foreach(json_object_get(doc, "children"), i, child)
        write_row(ws, &f, row++, json_string_value(json_object_get(child, "name")),
                  json_string_value(json_object_get(child, "code")),
                  json_object_get(child, "figures"), false);
    const json_t *own = json_object_get(doc, "own");
    char own_name[160];
    snprintf(own_name, sizeof own_name, "%s本级", json_string_value(json_object_get(own, "name")));
    write_row(ws, &f, row++, own_name, json_string_value(json_object_get(own, "code")),
              json_object_get(own, "figures"), false);
    write_row(ws, &f, row++, "合计", "", json_object_get(json_object_get(doc, "total"), "figures"),
              true);
    worksheet_write_string(ws, row + 1, 0,
                           "说明：干部按现任职务计人次；年龄按统计年度末计算；两年内受训指本年度或上年度参加过培训；"
                           "本级指登记在本区划本身的组织及其干部。",
                           f.note);
    return workbook_close(wb);
}

int statistics_report(struct request *req)
{
    json_t *doc;
    int status = statistics_read(req, &doc);
    if (status)
        return status;
    const char *path = table_temp_path(req);
    lxw_error err = path ? write_report(path, doc) : LXW_ERROR_CREATING_TMPFILE;
    const char *code = json_string_value(json_object_get(json_object_get(doc, "region"), "code")),
               *as_of = json_string_value(json_object_get(doc, "as_of"));
    if (err == LXW_NO_ERROR) {
        table_attachment(req, arena_printf(req->arena, "统计表-%s-%s.xlsx", code, as_of),
                         arena_printf(req->arena, "statistics-%s-%s.xlsx", code, as_of));
    }
    json_decref(doc);
    if (err != LXW_NO_ERROR) {
        log_error("request %s: writing the report: %s", req->request_id, lxw_strerror(err));
        return http_error(req, 500, NULL, NULL, "the report could not be made");
    }
    if (table_send_file(req, path, XLSX_TYPE) != 0 && !req->streamed)
        return http_error(req, 500, NULL, NULL, "the report could not be sent");
    return req->status;
}
