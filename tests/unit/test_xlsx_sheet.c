/* The exports' XLSX writer: a workbook read back by the import's reader (libzip and expat), its
 * parts, inline string cells for every text (formula-looking ones too, never <f>), numbers as
 * numbers, the bold header style, escaping, kept white space, empty cells, and many rows. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include "arena.h"
#include "check.h"
#include "import_file.h"
#include "xlsx_sheet.h"

/* The whole of a file, in arena memory. */
static char *slurp(struct arena *a, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *data = arena_alloc(a, *len + 1);
    *len = fread(data, 1, *len, f);
    data[*len] = '\0';
    fclose(f);
    return data;
}

/* One part of the archive at path as text, or NULL when it is missing. */
static char *part(struct arena *a, const char *path, const char *name)
{
    zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
    zip_stat_t st;
    zip_file_t *f;
    if (!z || zip_stat(z, name, 0, &st) != 0 || !(f = zip_fopen(z, name, 0))) {
        if (z)
            zip_discard(z);
        return NULL;
    }
    char *text = arena_alloc(a, st.size + 1);
    zip_int64_t n = zip_fread(f, text, st.size);
    text[n > 0 ? n : 0] = '\0';
    zip_fclose(f);
    zip_discard(z);
    return text;
}

/* A workbook of many rows: the XML passes through the buffer many times over, and with digits
 * that hardly compress, a buffer deflates to more than one piece of output. */
static void many_rows(struct arena *a, const char *dir)
{
    char path[256], xml[256], err[256], text[64];
    snprintf(path, sizeof path, "%s/many.xlsx", dir);
    snprintf(xml, sizeof xml, "%s/many.xml", dir);
    fclose(fopen(path, "w"));
    struct xlsx_sheet *s = xlsx_sheet_open(path, xml, "多行", 2, 10);
    unsigned long random = 1;
    for (int i = 0; i < 20000; i++) {
        random = random * 6364136223846793005UL + 1442695040888963407UL;
        snprintf(text, sizeof text, "第%d行 %016lx", i, random);
        xlsx_sheet_text(s, text, false);
        xlsx_sheet_number(s, i);
        xlsx_sheet_end_row(s);
    }
    CHECK_INT(xlsx_sheet_close(s, err, sizeof err), 0);
    size_t len;
    const char *data = slurp(a, path, &len);
    struct import_table t = {0};
    CHECK(data && import_xlsx_read(a, data, len, &t, err, sizeof err) == 0);
    CHECK_INT((long long)t.count, 20000);
    if (t.count == 20000) {
        snprintf(text, sizeof text, "第19999行 %016lx", random);
        CHECK_STR(t.records[19999].cells[0], text);
        CHECK_STR(t.records[19999].cells[1], "19999");
        CHECK_INT(t.records[19999].line, 20000);
    }
    unlink(path);
    unlink(xml);
}

/* Cells after an empty one carry their reference, past Z too, and are read back in place. */
static void references_after_gaps(struct arena *a, const char *dir)
{
    char path[256], xml[256], err[256];
    snprintf(path, sizeof path, "%s/gaps.xlsx", dir);
    snprintf(xml, sizeof xml, "%s/gaps.sheet", dir);
    fclose(fopen(path, "w"));
    struct xlsx_sheet *s = xlsx_sheet_open(path, xml, "gaps", 30, 10);
    for (int i = 0; i < 26; i++)
        xlsx_sheet_text(s, "z", false);
    xlsx_sheet_text(s, NULL, false);
    xlsx_sheet_text(s, "x", false);
    xlsx_sheet_text(s, "", false);
    xlsx_sheet_number(s, 7);
    xlsx_sheet_end_row(s);
    CHECK_INT(xlsx_sheet_close(s, err, sizeof err), 0);
    const char *sheet = part(a, path, "xl/worksheets/sheet1.xml");
    CHECK(sheet && strstr(sheet, "<c r=\"AB1\" t=\"inlineStr\"><is><t>x</t></is></c>"
                                 "<c r=\"AD1\"><v>7</v></c></row>"));
    size_t len;
    const char *data = slurp(a, path, &len);
    struct import_table t = {0};
    CHECK(data && import_xlsx_read(a, data, len, &t, err, sizeof err) == 0);
    CHECK_INT((long long)t.count, 1);
    if (t.count == 1) {
        CHECK_STR(t.records[0].cells[25], "z");
        CHECK_STR(t.records[0].cells[26], "");
        CHECK_STR(t.records[0].cells[27], "x");
        CHECK_STR(t.records[0].cells[29], "7");
    }
    unlink(path);
    unlink(xml);
}

int main(void)
{
    struct arena *a = arena_new();
    char dir[] = "/tmp/jiceng-test-xlsx-XXXXXX", path[256], xml[256], err[256];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/t.xlsx", dir);
    snprintf(xml, sizeof xml, "%s/t.xlsx.xml", dir);
    fclose(fopen(path, "w"));

    struct xlsx_sheet *s = xlsx_sheet_open(path, xml, "干部名册", 4, 14);
    CHECK(s != NULL);
    CHECK(xlsx_sheet_open(path, xml, "again", 4, 14) == NULL); /* xml_path exists already */
    const char *titles[] = {"姓名", "年龄", "备注", "空"};
    for (int i = 0; i < 4; i++)
        xlsx_sheet_text(s, titles[i], true);
    xlsx_sheet_end_row(s);
    xlsx_sheet_text(s, "=cmd|' /C calc'!A0", false);
    xlsx_sheet_number(s, 48);
    xlsx_sheet_text(s, "a<b & c>d\x01", false);
    xlsx_sheet_text(s, NULL, false);
    xlsx_sheet_end_row(s);
    xlsx_sheet_text(s, "", false);
    xlsx_sheet_number(s, -3);
    xlsx_sheet_text(s, "\t=1+2 ", false);
    xlsx_sheet_end_row(s);
    CHECK_INT(xlsx_sheet_close(s, err, sizeof err), 0);

    const char *parts[] = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                           "xl/_rels/workbook.xml.rels", "xl/styles.xml"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        CHECK(part(a, path, parts[i]) != NULL);
    CHECK(strstr(part(a, path, "xl/workbook.xml"), "<sheet name=\"干部名册\"") != NULL);
    const char *sheet = part(a, path, "xl/worksheets/sheet1.xml");
    CHECK(sheet != NULL);
    if (sheet) {
        /* A cell's reference is written only after an empty cell, which is left out. */
        CHECK(strstr(sheet, "<row r=\"1\"><c s=\"1\" t=\"inlineStr\"><is><t>姓名</t></is></c>"));
        CHECK(strstr(sheet, "<row r=\"2\"><c t=\"inlineStr\"><is><t>=cmd|' /C calc'!A0</t>"));
        CHECK(strstr(sheet, "</c><c><v>48</v></c>"));
        CHECK(strstr(sheet, "<t>a&lt;b &amp; c&gt;d_x0001_</t>"));
        CHECK(strstr(sheet, "<row r=\"3\"><c r=\"B3\"><v>-3</v></c><c t=\"inlineStr\"><is>"
                            "<t xml:space=\"preserve\">\t=1+2 </t></is></c></row>"));
        CHECK(strstr(sheet, "<c r=\"A") == NULL);
        CHECK(strstr(sheet, "<c r=\"D2\"") == NULL);
        CHECK(strstr(sheet, "<f>") == NULL);
        CHECK(strstr(sheet, "<pane ySplit=\"1\""));
    }
    size_t len;
    const char *data = slurp(a, path, &len);
    struct import_table t = {0};
    CHECK(data && import_xlsx_read(a, data, len, &t, err, sizeof err) == 0);
    CHECK_INT((long long)t.count, 3);
    if (t.count == 3) {
        CHECK_STR(t.records[1].cells[0], "=cmd|' /C calc'!A0");
        CHECK_STR(t.records[1].cells[1], "48");
        CHECK_STR(t.records[1].cells[2], "a<b & c>d_x0001_");
        CHECK_STR(t.records[2].cells[0], "");
        CHECK_STR(t.records[2].cells[1], "-3");
        CHECK_STR(t.records[2].cells[2], "\t=1+2 ");
    }
    unlink(path);
    unlink(xml);

    many_rows(a, dir);
    references_after_gaps(a, dir);
    rmdir(dir);
    arena_free(a);
    return check_report();
}
