/* Import files: telling CSV from XLSX from other files, UTF-8 and GB18030 and a mix of both,
 * the records with their lines, and CSV written for download with formula-looking cells made
 * text. */
#include "check.h"
#include "import_columns.h"
#include "import_file.h"

#include "arena.h"

/* 李 in GB18030 is C0 EE; in UTF-8 E6 9D 8E. */
#define LI_GB "\xc0\xee"
#define LI_UTF8 "\xe6\x9d\x8e"

static const char *utf8(struct arena *a, const char *data, char *err)
{
    size_t len;
    return import_text_utf8(a, data, strlen(data), &len, err, 256);
}

int main(void)
{
    struct arena *a = arena_new();
    char err[256];

    CHECK(import_sniff("PK\x03\x04rest", 8) == IMPORT_XLSX);
    CHECK(import_sniff("a,b\r\n1,2\r\n", 10) == IMPORT_CSV);
    CHECK(import_sniff(LI_GB ",b\n", 5) == IMPORT_CSV);
    CHECK(import_sniff("%PDF-1.4\n\x00\x01", 11) == IMPORT_UNKNOWN);
    CHECK(import_sniff("\xd0\xcf\x11\xe0\x01\x02\x03\x04\x05\x06", 10) == IMPORT_UNKNOWN);

    CHECK_STR(utf8(a, "\xef\xbb\xbf" LI_UTF8 ",1\n", err), LI_UTF8 ",1\n");
    CHECK_STR(utf8(a, LI_UTF8 ",1\n", err), LI_UTF8 ",1\n");
    CHECK_STR(utf8(a, "name\n" LI_GB ",1\n", err), "name\n" LI_UTF8 ",1\n");
    CHECK(utf8(a, LI_UTF8 "\n\n" LI_GB "\n", err) == NULL);
    CHECK_STR(err, "line 3 is not UTF-8, but line 1 is: the file mixes encodings; save the whole"
                   " file again as CSV UTF-8 (or all of it as CSV from a Chinese Excel, GB18030)");
    CHECK(utf8(a, "\xef\xbb\xbf" "a\nb\n" LI_GB "\n", err) == NULL);
    CHECK_STR(err, "line 3 is not UTF-8, but the file starts as UTF-8 (with a byte order mark): the"
                   " file mixes encodings; save the whole file again as CSV UTF-8");
    /* 0x80 alone is no GB18030 character. */
    CHECK(utf8(a, "a\nb\x80\n", err) == NULL);
    CHECK_STR(err, "line 2 is neither UTF-8 nor GB18030 text");

    struct import_table t;
    const char *text = "a,b\n\n\"x\ny\",\"q\"\"uote\"\n3,\n";
    CHECK(import_csv_read(a, text, strlen(text), &t, err, sizeof err) == 0);
    CHECK(t.count == 3);
    CHECK(t.records[0].line == 1 && t.records[0].count == 2);
    CHECK(t.records[1].line == 3);
    CHECK_STR(t.records[1].cells[0], "x\ny");
    CHECK_STR(t.records[1].cells[1], "q\"uote");
    CHECK(t.records[2].line == 5 && t.records[2].count == 2);
    CHECK_STR(t.records[2].cells[1], "");
    text = "a,b\n1,\"open\n";
    CHECK(import_csv_read(a, text, strlen(text), &t, err, sizeof err) == -1);
    CHECK_STR(err, "line 2: a quoted cell is not closed");
    text = "a,b\n1,x\"y\n";
    CHECK(import_csv_read(a, text, strlen(text), &t, err, sizeof err) == -1);
    CHECK_STR(err, "line 2: a quote inside an unquoted cell, or text after a closing quote");

    char date[11];
    CHECK(import_excel_date("45306", date));
    CHECK_STR(date, "2024-01-15");
    CHECK(import_excel_date("61", date));
    CHECK_STR(date, "1900-03-01");
    CHECK(import_excel_date("36586.0", date));
    CHECK_STR(date, "2000-03-01");
    CHECK(!import_excel_date("2024-01-15", date));
    CHECK(!import_excel_date("60", date));
    CHECK(!import_excel_date("", date));

    const char *cells[] = {"=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "a,b", "plain"};
    size_t len;
    const char *csv = import_csv_rows(a, cells, 3, 2, &len);
    CHECK(len == strlen(csv));
    CHECK_STR(csv, "\xef\xbb\xbf\"'=cmd|' /C calc'!A0\",\"'+1\",\"'-2\"\r\n"
                   "\"'@SUM(A1)\",\"a,b\",plain\r\n");

    arena_free(a);
    return check_report();
}
