/* GET /api/v1/statistics/{code}/report: the statistics of GET /api/v1/statistics/{code} as an
 * XLSX report for filing (report_xlsx.h): a title, the table number, the reporting region and
 * date, two rows of Chinese headers, a row per child region, the region's own row and the
 * total. Laid out from the same JSON document the API answers, so the two never disagree. */
#include <stdio.h>

#include "arena.h"
#include "handlers.h"
#include "report_xlsx.h"
#include "statistics.h"

/* The number the report is filed under. */
#define TABLE_NUMBER "妇基统1表"

static const struct report_column columns[] = {
    {"组织数（个）", "妇联", "organisations.federation", REPORT_COUNT},
    {NULL, "妇代会", "organisations.womens_congress", REPORT_COUNT},
    {NULL, "妇委会", "organisations.womens_committee", REPORT_COUNT},
    {NULL, "合计", "organisations.total", REPORT_COUNT},
    {"妇联组建", "区划数", "formation.total.regions", REPORT_COUNT},
    {NULL, "已建妇联", "formation.total.with_federation", REPORT_COUNT},
    {NULL, "建会率", "formation.total.rate", REPORT_RATE},
    {"会改联", "已转", "conversion.converted", REPORT_COUNT},
    {NULL, "未转", "conversion.congresses", REPORT_COUNT},
    {NULL, "转换率", "conversion.rate", REPORT_RATE},
    {"领导班子（人）", "主席", "offices.chair", REPORT_COUNT},
    {NULL, "专职副主席", "offices.vice_chair_full_time", REPORT_COUNT},
    {NULL, "兼职副主席", "offices.vice_chair_part_time", REPORT_COUNT},
    {NULL, "常委", "offices.standing_member", REPORT_COUNT},
    {NULL, "执委", "offices.executive_member", REPORT_COUNT},
    {NULL, "妇代会主任", "offices.congress_director", REPORT_COUNT},
    {NULL, "联络员", "offices.liaison_officer", REPORT_COUNT},
    {"村（社区）妇联主席", "人数", "village_chairs.total", REPORT_COUNT},
    {NULL, "进两委", "village_chairs.in_two_committees", REPORT_COUNT},
    {NULL, "进两委比例", "village_chairs.share", REPORT_RATE},
    {"干部（人次）", "合计", "cadres.total", REPORT_COUNT},
    {NULL, "35岁及以下", "cadres.age.35_and_under", REPORT_COUNT},
    {NULL, "36至45岁", "cadres.age.36_to_45", REPORT_COUNT},
    {NULL, "46至55岁", "cadres.age.46_to_55", REPORT_COUNT},
    {NULL, "56岁及以上", "cadres.age.56_and_over", REPORT_COUNT},
    {NULL, "初中及以下", "cadres.education.primary+cadres.education.junior_high", REPORT_COUNT},
    {NULL, "高中、中专", "cadres.education.senior_high+cadres.education.vocational", REPORT_COUNT},
    {NULL, "大专", "cadres.education.junior_college", REPORT_COUNT},
    {NULL, "本科", "cadres.education.bachelor", REPORT_COUNT},
    {NULL, "研究生", "cadres.education.master+cadres.education.doctorate", REPORT_COUNT},
    {NULL, "党员", "cadres.party_members", REPORT_COUNT},
    {NULL, "党员比例", "cadres.party_share", REPORT_RATE},
    {NULL, "两年内受训", "cadres.trained_last_two_years", REPORT_COUNT},
    {NULL, "受训比例", "cadres.trained_share", REPORT_RATE},
    {NULL, "本年新增", "cadres.added_this_year", REPORT_COUNT},
};

int statistics_report(struct request *req)
{
    json_t *doc;
    int status = statistics_read(req, &doc);
    if (status)
        return status;
    const json_t *region = json_object_get(doc, "region"), *own = json_object_get(doc, "own"),
                 *children = json_object_get(doc, "children");
    const char *code = json_string_value(json_object_get(region, "code")),
               *as_of = json_string_value(json_object_get(doc, "as_of"));
    int count = (int)json_array_size(children) + 2;
    struct report_row *rows = arena_zalloc(req->arena, (size_t)count * sizeof *rows);
    size_t i;
    const json_t *child;
    json_array_foreach(children, i, child)
        rows[i] = (struct report_row){json_string_value(json_object_get(child, "name")),
                                      json_string_value(json_object_get(child, "code")),
                                      json_object_get(child, "figures"), false};
    rows[count - 2] = (struct report_row){
        arena_printf(req->arena, "%s本级", json_string_value(json_object_get(own, "name"))),
        json_string_value(json_object_get(own, "code")), json_object_get(own, "figures"), false};
    rows[count - 1] = (struct report_row){
        "合计", "", json_object_get(json_object_get(doc, "total"), "figures"), true};
    struct report r = {
        .sheet = "统计表", .title = "妇联基层组织建设情况统计表", .table_number = TABLE_NUMBER,
        .region_name = json_string_value(json_object_get(region, "name")), .region_code = code,
        .as_of = as_of,
        .note = "说明：干部按现任职务计人次；年龄按统计年度末计算；两年内受训指本年度或上年度参加过培训；"
                "本级指登记在本区划本身的组织及其干部。",
        .columns = columns, .column_count = sizeof columns / sizeof columns[0],
        .rows = rows, .row_count = count};
    status = report_send(req, &r, arena_printf(req->arena, "统计表-%s-%s.xlsx", code, as_of),
                         arena_printf(req->arena, "statistics-%s-%s.xlsx", code, as_of));
    json_decref(doc);
    return status;
}
