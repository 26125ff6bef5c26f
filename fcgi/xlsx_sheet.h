/* A workbook of one worksheet of text and number cells, written row by row in memory that does
 * not grow with the rows: the worksheet's XML is deflated (zlib, level 1) into a temporary file
 * as the rows come, and libzip packs it as it is with the few fixed parts of a workbook into the
 * .xlsx at the end.
 *
 * Why not libxlsxwriter, which the statistics report uses: for exports of many rows it is the
 * bottleneck. Its constant_memory mode allocates and frees every cell, formats it with fprintf
 * and deflates the sheet at zlib's default level, which it does not let one change; on this
 * project's 2-core machine that is about 26 ms of CPU per 1,000 roster rows (a ceiling of
 * ~38,000 rows/s), below the 50,000 rows/s issue 5 asks of an export (tests/bench/
 * bench_export.sh). Writing a sheet of inline strings ourselves is a few lines of XML; the zip
 * container and ZIP64 are libzip's. Deflating as the rows come, rather than having libzip
 * deflate a file of XML at the end, spares writing and reading back ten times the bytes; and a
 * cell carries its reference (r="B7") only after an empty cell, as the reference is optional:
 * a reference in every cell made the XML a fifth larger and, since each one differs, deflate
 * twice as slow and its output twice the size. Every text is an inline string cell, which a
 * spreadsheet never runs as a formula. */
#ifndef JICENG_XLSX_SHEET_H
#define JICENG_XLSX_SHEET_H

#include <stdbool.h>
#include <stddef.h>

struct xlsx_sheet;

/* A new workbook to be written to path (an existing empty file, replaced) with one worksheet
 * named sheet_name of columns columns, each width characters wide, whose first row stays in
 * view when scrolling. The sheet's deflated XML is kept in deflated_path (created, mode 0600;
 * the caller removes it) until xlsx_sheet_close. NULL when deflated_path cannot be made or
 * columns is not 1 to 702 (A to ZZ). */
struct xlsx_sheet *xlsx_sheet_open(const char *path, const char *deflated_path,
                                   const char *sheet_name, int columns, double width);

/* The next cell of the current row: a text (UTF-8; NULL or "": an empty cell), bold or not,
 * or a number. */
void xlsx_sheet_text(struct xlsx_sheet *s, const char *text, bool bold);
void xlsx_sheet_number(struct xlsx_sheet *s, long long n);

/* Ends the current row; the next cell starts a new one. */
void xlsx_sheet_end_row(struct xlsx_sheet *s);

/* Writes the workbook to its path and frees s. Returns 0, or -1 with the reason in err when the
 * XML could not be written (disk full, a row of more than 702 cells) or zipped. */
int xlsx_sheet_close(struct xlsx_sheet *s, char *err, size_t err_size);

/* Frees s without writing the workbook (a failed export); NULL is ignored. */
void xlsx_sheet_discard(struct xlsx_sheet *s);

#endif
