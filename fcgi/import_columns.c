/* The columns of the cadre import file: Chinese headers, the API member each one feeds, the
 * Chinese names of the allowed values; the template made from them, and the error file. */
#include "import_columns.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cadres.h"

static const char *const gender_names[] = {"女", "男", NULL};
static const char *const education_names[] = {"小学", "初中",   "高中",       "中专",
                                              "大专", "本科",   "硕士研究生", "博士研究生",
                                              NULL};
static const char *const political_names[] = {"中共党员", "中共预备党员", "共青团员", "民主党派",
                                              "群众", NULL};
static const char *const occupation_names[] = {"教师",         "乡村医生",         "老干部",
                                               "巾帼能人",     "企业家",           "志愿服务队负责人",
                                               "文艺队负责人", "大学生村官",       "其他",
                                               NULL};
static const char *const role_names[] = {"主席", "副主席",     "常委",           "执委",
                                         "妇代会主任", "妇女工作联络员", NULL};
static const char *const yes_no[] = {"是", "否", NULL};

const struct import_column cadre_columns[] = {
    {"区划代码", "region", CELL_TEXT, true, NULL, NULL,
     "组织所在地的统计用区划代码，如210102001"},
    {"组织名称", "organisation_name", CELL_TEXT, false, NULL, NULL,
     "空：该区划的妇联（村为妇代会或妇联）"},
    {"姓名", "name", CELL_TEXT, true, NULL, NULL, "1至64字"},
    {"性别", "gender", CELL_ENUM, true, cadre_genders, gender_names, NULL},
    {"出生日期", "birth_date", CELL_DATE, true, NULL, NULL, "如1985-06-15，与身份证号一致"},
    {"民族", "ethnicity", CELL_TEXT, false, NULL, NULL, "空：汉族"},
    {"文化程度", "education", CELL_ENUM, true, cadre_educations, education_names, NULL},
    {"政治面貌", "political_status", CELL_ENUM, true, cadre_political, political_names, NULL},
    {"身份证号", "id_number", CELL_TEXT, true, NULL, NULL, "18位，末位可为X"},
    {"手机号", "mobile", CELL_TEXT, false, NULL, NULL, "11位，以1开头"},
    {"职业", "occupation", CELL_ENUM, false, cadre_occupations, occupation_names, "空：其他"},
    {"职务", "role", CELL_ENUM, true, cadre_roles, role_names, NULL},
    {"专职", "full_time", CELL_BOOL, false, NULL, yes_no, "空：否"},
    {"进两委", "in_two_committees", CELL_BOOL, false, NULL, yes_no, "空：否"},
    {"任职日期", "start_date", CELL_DATE, true, NULL, NULL, "如2024-01-15，不晚于今天"},
};
const int cadre_column_count = sizeof cadre_columns / sizeof cadre_columns[0];

/* "女、男": the names a column allows, for notes and messages. */
static const char *allowed_text(struct arena *a, const struct import_column *c)
{
    const char *text = "";
    for (int i = 0; c->names && c->names[i]; i++)
        text = arena_printf(a, "%s%s%s", text, i ? "、" : "", c->names[i]);
    return text;
}

const char *import_column_note(struct arena *a, const struct import_column *c)
{
    const char *allowed = allowed_text(a, c);
    return arena_printf(a, "%s%s%s%s%s", c->required ? "必填" : "选填",
                        allowed[0] ? "：" : "", allowed, c->note ? "；" : "",
                        c->note ? c->note : "");
}

const char *import_allowed_message(struct arena *a, const struct import_column *c)
{
    return arena_printf(a, "must be one of %s", allowed_text(a, c));
}

/* Appends one CSV cell: quoted when it holds a separator, quote or line break; with a leading
 * apostrophe when a spreadsheet would otherwise read it as a formula (=, +, -, @, or a tab or
 * carriage return before one), so what a file sent never comes back to run. */
static char *put_cell(char *out, const char *text, bool last)
{
    bool formula = text[0] && strchr("=+-@\t\r", text[0]);
    bool quote = formula || strpbrk(text, ",\"\r\n");
    if (quote)
        *out++ = '"';
    if (formula)
        *out++ = '\'';
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            *out++ = '"';
        *out++ = *p;
    }
    if (quote)
        *out++ = '"';
    *out++ = last ? '\r' : ',';
    if (last)
        *out++ = '\n';
    return out;
}

/* Room for a cell in put_cell: every character doubled, quotes, apostrophe, separator. */
static size_t cell_room(const char *text)
{
    return 2 * strlen(text) + 6;
}

const char *import_csv_rows(struct arena *a, const char *const *cells, int columns, int rows,
                            size_t *len)
{
    size_t room = 4;
    for (int i = 0; i < columns * rows; i++)
        room += cell_room(cells[i]);
    char *out = arena_alloc(a, room), *o = out;
    memcpy(o, "\xef\xbb\xbf", 3);
    o += 3;
    for (int i = 0; i < columns * rows; i++)
        o = put_cell(o, cells[i], i % columns == columns - 1);
    *len = (size_t)(o - out);
    return out;
}
