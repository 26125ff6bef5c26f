/* The columns of import files, and CSV written for download (templates, error files). */
#ifndef JICENG_IMPORT_COLUMNS_H
#define JICENG_IMPORT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* How a cell becomes the JSON member the API's readers take. */
enum cell_kind {
    CELL_TEXT, /* as it is */
    CELL_ENUM, /* a Chinese name from names becomes the code at the same index in codes */
    CELL_BOOL, /* 是 / 否 (or true / false, 1 / 0) */
    CELL_INT,  /* a whole number ("5", or "5.0" as a workbook stores it) */
    CELL_DATE, /* 2024-01-15, 2024/1/15, 2024.1.15 or 2024年1月15日 becomes YYYY-MM-DD */
};

struct import_column {
    const char *header; /* in Chinese, as in the template */
    const char *field;  /* the API member (header names in English are accepted too) */
    enum cell_kind kind;
    bool required;
    const char *const *codes, *const *names; /* NULL-terminated, in the same order */
    const char *note;   /* for the template; NULL when the allowed values say it all */
};

/* "必填：女、男" and the like: what a column takes, for the template's note line. */
const char *import_column_note(struct arena *a, const struct import_column *c);

/* "must be one of 女、男": the message for a value a CELL_ENUM or CELL_BOOL column does not
 * allow. */
const char *import_allowed_message(struct arena *a, const struct import_column *c);

/* rows x columns cells (row by row) as CSV: a UTF-8 byte order mark, CRLF line ends (as Excel
 * writes them), formula-looking cells made text. Arena memory; *len set. */
const char *import_csv_rows(struct arena *a, const char *const *cells, int columns, int rows,
                            size_t *len);

#endif
