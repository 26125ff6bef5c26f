/* An uploaded import file before its rows are read: what kind of file it is, and its text as
 * UTF-8 whatever encoding a spreadsheet program saved it in; then its cells, row by row. */
#ifndef JICENG_IMPORT_FILE_H
#define JICENG_IMPORT_FILE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum import_format {
    IMPORT_CSV,     /* text: UTF-8 (with or without BOM) or GB18030 */
    IMPORT_XLSX,    /* a ZIP archive, as Office Open XML workbooks are */
    IMPORT_UNKNOWN, /* binary that is neither: a PDF, an image, an old .xls, ... */
};

/* What data[0..len) looks like, by its first bytes and by whether it holds NUL or other
 * control bytes that text never has. */
enum import_format import_sniff(const char *data, size_t len);

/* The text of a CSV file as UTF-8 without a byte order mark, in arena memory: the file itself
 * when it is valid UTF-8, else converted from GB18030 (what Excel saves as "CSV" on a Chinese
 * Windows). A file with lines in both encodings, or bytes that are neither, is refused: NULL,
 * with the reason naming the line(s) in err. */
char *import_text_utf8(struct arena *a, const char *data, size_t len, size_t *out_len, char *err,
                       size_t errlen);

/* One record of the file: its cells as UTF-8 text, and the physical line it starts on (1 for
 * the first; for XLSX the row number). */
struct import_record {
    unsigned line;
    int count;
    const char **cells; /* NUL-terminated, as in the file (not trimmed) */
};

struct import_table {
    struct import_record *records;
    size_t count;
};

/* Reads the records of CSV text (UTF-8) with libcsv; blank lines are skipped. Returns 0, or -1
 * with "line N: reason" in err. Everything is arena memory. */
int import_csv_read(struct arena *a, const char *text, size_t len, struct import_table *out,
                    char *err, size_t errlen);

/* Reads the records of the first worksheet of an XLSX workbook (the cells' text: shared and
 * inline strings, and the values stored for numbers, booleans and formulas, which are never
 * evaluated); blank rows are skipped, and a record's line is its row number. Returns 0, or -1
 * with the reason in err: a damaged or cut-off archive, a part missing, broken XML. Everything
 * is arena memory. */
int import_xlsx_read(struct arena *a, const char *data, size_t len, struct import_table *out,
                     char *err, size_t errlen);

/* An Excel date serial number ("45306", as a date cell of a workbook stores 2024-01-15) as
 * "YYYY-MM-DD" in out; false when text is no such number (1900 date system, from 1900-03-01). */
bool import_excel_date(const char *text, char out[11]);

#endif
