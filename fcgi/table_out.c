/* Tables as CSV or XLSX for spreadsheets, written as they are read; see table_out.h. */
#include "table_out.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "xlsx_sheet.h"

/* The CSV buffer is sent when it holds this much: large enough that a row is rarely a write of
 * its own, small enough to be the whole of the memory an export takes. */
enum { CSV_FLUSH = 32 * 1024, FILE_PIECE = 64 * 1024, XLSX_MAX_ROWS = 1048576 };

static const char CSV_TYPE[] = "text/csv; charset=utf-8";
static const char XLSX_TYPE[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct table_out {
    struct request *req;
    enum table_format format;
    const char *const *titles;
    int columns, column;
    /* CSV: the rows not sent yet, and a scratch copy of a cell that needs an apostrophe. */
    char *buf, *scratch;
    size_t len, cap, scratch_cap;
    bool started, failed;
    /* XLSX */
    const char *path;
    struct xlsx_sheet *sheet;
    unsigned long row;
};

static void *grow(void *p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    p = realloc(p, n);
    if (!p)
        out_of_memory();
    *cap = n;
    return p;
}

static void release(void *data)
{
    struct table_out *t = data;
    xlsx_sheet_discard(t->sheet); /* the files go with their paths' cleanups */
    free(t->buf);
    free(t->scratch);
}

static void remove_file(void *path)
{
    unlink(path);
}

int table_format_read(struct request *req, enum table_format *format)
{
    const char *value = http_query(req, "format");
    *format = TABLE_CSV;
    if (!value || !value[0] || strcmp(value, "csv") == 0)
        return 0;
    if (strcmp(value, "xlsx") == 0) {
        *format = TABLE_XLSX;
        return 0;
    }
    return http_error(req, 400, "invalid_parameter", "format", "format must be csv or xlsx");
}

const char *table_temp_path(struct request *req)
{
    const char *dir = getenv("TMPDIR");
    char *path = arena_printf(req->arena, "%s/jiceng-XXXXXX.xlsx", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemps(path, 5);
    if (fd < 0)
        return NULL;
    close(fd);
    arena_cleanup(req->arena, remove_file, path);
    return path;
}

/* Percent-encodes text for filename* (RFC 5987): everything but letters, digits and -._~ */
static const char *percent_encode(struct arena *a, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = arena_alloc(a, strlen(text) * 3 + 1), *o = out;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            strchr("-._~", *s)) {
            *o++ = (char)*s;
        } else {
            *o++ = '%';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 15];
        }
    }
    *o = '\0';
    return out;
}

void table_attachment(struct request *req, const char *file_name, const char *ascii_name)
{
    http_header(req, "Content-Disposition",
                arena_printf(req->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                             ascii_name, percent_encode(req->arena, file_name)));
}

struct table_out *table_open(struct request *req, enum table_format format, const char *sheet,
                             const char *file_name, const char *ascii_name,
                             const char *const *titles, int columns)
{
    struct table_out *t = arena_zalloc(req->arena, sizeof *t);
    *t = (struct table_out){.req = req, .format = format, .titles = titles, .columns = columns};
    /* The file's removal is registered first, so it runs after the workbook is closed. */
    if (format == TABLE_XLSX && !(t->path = table_temp_path(req))) {
        log_error("request %s: cannot make a temporary file", req->request_id);
        http_error(req, 500, NULL, NULL, "the spreadsheet could not be made");
        return NULL;
    }
    arena_cleanup(req->arena, release, t);
    const char *ext = format == TABLE_CSV ? "csv" : "xlsx";
    table_attachment(req, arena_printf(req->arena, "%s.%s", file_name, ext),
                     arena_printf(req->arena, "%s.%s", ascii_name, ext));
    if (format == TABLE_CSV) {
        /* The BOM and the header row wait in the buffer for the first rows. */
        static const char bom[] = "\xEF\xBB\xBF";
        t->buf = grow(t->buf, &t->cap, CSV_FLUSH + 1024);
        memcpy(t->buf, bom, 3);
        t->len = 3;
    } else {
        const char *deflated_path = arena_printf(req->arena, "%s.sheet", t->path);
        arena_cleanup(req->arena, remove_file, (void *)deflated_path);
        if (!(t->sheet = xlsx_sheet_open(t->path, deflated_path, sheet, columns, 14))) {
            log_error("request %s: cannot make %s", req->request_id, deflated_path);
            http_error(req, 500, NULL, NULL, "the spreadsheet could not be made");
            return NULL;
        }
    }
    for (int i = 0; i < columns; i++) {
        if (t->sheet)
            xlsx_sheet_text(t->sheet, titles[i], true);
        else
            table_text(t, titles[i]);
    }
    table_end_row(t);
    return t;
}

/* A cell a spreadsheet would read as a formula, or as the start of one. */
static bool formula_like(const char *text)
{
    return text[0] && strchr("=+-@\t\r", text[0]) != NULL;
}

/* Appends text as one quoted CSV cell (RFC 4180: quotes doubled). */
static void csv_cell(struct table_out *t, const char *text)
{
    size_t n = strlen(text);
    if (formula_like(text)) {
        t->scratch = grow(t->scratch, &t->scratch_cap, n + 2);
        t->scratch[0] = '\'';
        memcpy(t->scratch + 1, text, n + 1);
        text = t->scratch;
        n++;
    }
    t->buf = grow(t->buf, &t->cap, t->len + 2 * n + 4);
    char *o = t->buf + t->len;
    if (t->column > 0)
        *o++ = ',';
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '"')
            *o++ = '"';
        *o++ = text[i];
    }
    *o++ = '"';
    t->len = (size_t)(o - t->buf);
}

void table_text(struct table_out *t, const char *text)
{
    if (t->failed)
        return;
    if (t->sheet) {
        xlsx_sheet_text(t->sheet, text, false);
    } else {
        csv_cell(t, text ? text : "");
    }
    t->column++;
}

void table_number(struct table_out *t, long long n)
{
    if (t->failed)
        return;
    if (t->sheet) {
        xlsx_sheet_number(t->sheet, n);
        t->column++;
    } else {
        char text[24];
        snprintf(text, sizeof text, "%lld", n);
        csv_cell(t, text);
        t->column++;
    }
}

/* Sends the CSV buffer, starting the response first. */
static int csv_flush(struct table_out *t)
{
    if (!t->started) {
        t->started = true;
        if (http_stream_begin(t->req, 200, CSV_TYPE) != 0)
            return -1;
    }
    int rc = http_stream_write(t->req, t->buf, t->len);
    t->len = 0;
    return rc;
}

int table_end_row(struct table_out *t)
{
    if (t->failed)
        return -1;
    t->column = 0;
    if (t->sheet) {
        xlsx_sheet_end_row(t->sheet);
        if (++t->row >= XLSX_MAX_ROWS) {
            t->failed = true;
            return -1;
        }
        return 0;
    }
    t->buf = grow(t->buf, &t->cap, t->len + 2);
    memcpy(t->buf + t->len, "\r\n", 2);
    t->len += 2;
    if (t->len >= CSV_FLUSH && csv_flush(t) != 0)
        t->failed = true;
    return t->failed ? -1 : 0;
}

int table_finish(struct table_out *t)
{
    if (t->failed)
        return -1;
    if (!t->sheet)
        return csv_flush(t);
    char err[256];
    int closed = xlsx_sheet_close(t->sheet, err, sizeof err);
    t->sheet = NULL;
    if (closed != 0) {
        log_error("request %s: writing the workbook: %s", t->req->request_id, err);
        return -1;
    }
    int rc = table_send_file(t->req, t->path, XLSX_TYPE);
    t->started = t->req->streamed;
    return rc;
}

bool table_started(const struct table_out *t)
{
    return t->started;
}

int table_send_file(struct request *req, const char *path, const char *content_type)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *piece = arena_alloc(req->arena, FILE_PIECE);
    int rc = http_stream_begin(req, 200, content_type);
    size_t n;
    while (rc == 0 && (n = fread(piece, 1, FILE_PIECE, f)) > 0)
        rc = http_stream_write(req, piece, n);
    fclose(f);
    return rc;
}

int table_export_end(struct request *req, struct table_out *t, int rc, bool client_gone)
{
    if (client_gone && !table_started(t))
        return http_error(req, 422, "too_many_rows", "format",
                          "more rows than one XLSX sheet holds (1,048,575); export as CSV");
    if (client_gone) {
        log_info("request %s: the client left during the export", req->request_id);
        return req->status;
    }
    if (rc != DB_OK) {
        if (!table_started(t))
            return http_db_error(req, rc);
        log_error("request %s: export cut short: %s", req->request_id, db_error(req->db));
        return req->status;
    }
    if (table_finish(t) != 0 && !table_started(t))
        return http_error(req, 500, NULL, NULL, "the spreadsheet could not be sent");
    return req->status;
}
