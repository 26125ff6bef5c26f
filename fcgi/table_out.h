/* A table for people to open in a spreadsheet, written row by row as the rows are read, in
 * memory that does not grow with the rows: CSV (UTF-8 with a BOM, so Excel reads it as UTF-8)
 * streamed to the client as it is written, or XLSX (xlsx_sheet.h: the sheet's XML deflated into
 * a temporary file as it is written, zipped by libzip at the end) streamed once complete. No cell is one a spreadsheet would
 * run as a formula: in CSV a text starting with = + - @ tab or CR gets an apostrophe in front;
 * in XLSX every text is written as a string cell, which is never evaluated. */
#ifndef JICENG_TABLE_OUT_H
#define JICENG_TABLE_OUT_H

#include <stdbool.h>

#include "request.h"

enum table_format { TABLE_CSV, TABLE_XLSX };

struct table_out;

/* The ?format= of the query: csv (the default) or xlsx. Returns 0, or 400 with the answer set. */
int table_format_read(struct request *req, enum table_format *format);

/* A table with a header row of the given column titles (columns of them), to be sent as
 * file_name.csv or .xlsx (file_name: UTF-8; ascii_name: the fallback for old clients). For
 * XLSX, sheet names the worksheet. Nothing is sent yet. Returns NULL with 500 set when the
 * temporary workbook cannot be made. Freed with the request. */
struct table_out *table_open(struct request *req, enum table_format format, const char *sheet,
                             const char *file_name, const char *ascii_name,
                             const char *const *titles, int columns);

/* The next cell of the current row: a text (NULL: empty) or a whole number. */
void table_text(struct table_out *t, const char *text);
void table_number(struct table_out *t, long long n);

/* Ends the current row. CSV sends the response's start with the first row, and the rows as its
 * buffer fills. Returns 0, or -1: the client went away, or (XLSX) the sheet is full; then stop. */
int table_end_row(struct table_out *t);

/* Ends the table and sends what is left (the whole file for XLSX). Returns 0, or -1 when it
 * could not: with nothing sent yet (see table_started) the caller answers an error. */
int table_finish(struct table_out *t);

/* True once the response has started: its status cannot change any more. */
bool table_started(const struct table_out *t);

/* The end of an export that wrote rows read from the database: rc is the reading's DB_OK or
 * error, client_gone that t took no more rows (the client left, or before anything was sent, an
 * XLSX sheet was full: 422). On a failure before anything was sent, the error answer; after,
 * the response is cut short (its status has gone) and the failure logged; else the table is
 * finished. Returns the status. */
int table_export_end(struct request *req, struct table_out *t, int rc, bool client_gone);

/* Sends the file at path as the whole response (200, content_type, the headers set so far),
 * in pieces of a fixed size. Returns 0, or -1 when it could not be read (nothing sent: the
 * caller answers an error) or the client went away. */
int table_send_file(struct request *req, const char *path, const char *content_type);

/* Sets Content-Disposition to an attachment named file_name (UTF-8, RFC 6266 filename*) with
 * ascii_name for clients that read only filename. */
void table_attachment(struct request *req, const char *file_name, const char *ascii_name);

/* A new temporary file name for a workbook, in $TMPDIR or /tmp; the file exists (empty, mode
 * 0600) and is removed with the request. NULL when it cannot be made. */
const char *table_temp_path(struct request *req);

#endif
