/* The Chinese names of codes; see labels.h. Codes are unique across the kinds of names. */
#include "labels.h"

#include <string.h>

static const char *const names[][2] = {
    {"province", "省"}, {"city", "市"}, {"county", "县"}, {"township", "乡镇"}, {"village", "村"},
    {"federation", "妇联"}, {"womens_congress", "妇代会"}, {"womens_committee", "妇委会"},
    {"agency", "机关"}, {"institution", "事业单位"}, {"enterprise", "企业"},
    {"social_org", "社会组织"},
    {"chair", "主席"}, {"vice_chair", "副主席"}, {"standing_member", "常委"},
    {"executive_member", "执委"}, {"congress_director", "妇代会主任"},
    {"liaison_officer", "妇女工作联络员"},
    {"female", "女"}, {"male", "男"},
    {"primary", "小学"}, {"junior_high", "初中"}, {"senior_high", "高中"}, {"vocational", "中专"},
    {"junior_college", "大专"}, {"bachelor", "本科"}, {"master", "硕士研究生"},
    {"doctorate", "博士研究生"},
    {"cpc_member", "中共党员"}, {"cpc_probationary", "中共预备党员"},
    {"league_member", "共青团员"}, {"democratic_party", "民主党派"}, {"masses", "群众"},
};

const char *label_zh(const char *code)
{
    if (!code)
        return "";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i][0], code) == 0)
            return names[i][1];
    return code;
}
