/* Imports through the API: POST /api/v1/imports/cadres, /organisations and /new-organisations
 * (the file as the body; ?dry_run=true checks without writing; ?errors=csv answers the row errors as a CSV file)
 * and GET .../template of each (CSV, or ?format=json for the columns). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "handlers.h"
#include "http.h"
#include "import.h"
#include "import_kind.h"
#include "router.h"

/* ------------------------------------------------------------------------------------------ */
/* Templates and error files */

const char *import_template_csv(struct arena *a, const struct import_kind *kind, size_t *len)
{
    int n = kind->column_count;
    const char **cells = arena_alloc(a, 2 * (size_t)n * sizeof *cells);
    for (int i = 0; i < n; i++) {
        cells[i] = kind->columns[i].header;
        cells[n + i] = import_column_note(a, &kind->columns[i]);
    }
    /* The note line starts with '#', which makes the importer skip it. */
    cells[n] = arena_printf(a, "#说明行，导入时跳过。%s", cells[n]);
    return import_csv_rows(a, cells, n, 2, len);
}

json_t *import_template_columns(const struct import_kind *kind)
{
    json_t *columns = json_array();
    for (int i = 0; i < kind->column_count; i++) {
        const struct import_column *c = &kind->columns[i];
        json_t *column = json_pack("{s:s, s:s, s:b}", "header", c->header, "field", c->field,
                                   "required", c->required);
        if (c->names) {
            json_t *allowed = json_array();
            for (int j = 0; c->names[j]; j++)
                json_array_append_new(allowed, json_string(c->names[j]));
            json_object_set_new(column, "allowed", allowed);
        }
        if (c->note)
            json_object_set_new(column, "note", json_string(c->note));
        json_array_append_new(columns, column);
    }
    return columns;
}

const char *import_errors_csv(struct arena *a, const json_t *errors, size_t *len)
{
    enum { COLUMNS = 5 };
    size_t rows = json_array_size(errors) + 1;
    const char **cells = arena_alloc(a, rows * COLUMNS * sizeof *cells);
    static const char *const header[COLUMNS] = {"行号", "列", "列名", "错误代码", "错误说明"};
    memcpy(cells, header, sizeof header);
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char **row = cells + (i + 1) * COLUMNS;
        json_t *line = json_object_get(e, "line"), *column = json_object_get(e, "column");
        const char *name = json_string_value(json_object_get(e, "column_name"));
        row[0] = json_is_integer(line) ? arena_printf(a, "%lld", json_integer_value(line)) : "";
        row[1] = json_is_integer(column) ? arena_printf(a, "%lld", json_integer_value(column))
                                         : "";
        row[2] = name ? name : "";
        row[3] = json_string_value(json_object_get(e, "code"));
        row[4] = json_string_value(json_object_get(e, "message"));
    }
    return import_csv_rows(a, cells, COLUMNS, (int)rows, len);
}

/* ------------------------------------------------------------------------------------------ */
/* Handlers */

/* A true/false query parameter; fallback when absent. Returns 0, or 400 with the answer set. */
static int query_bool(struct request *req, const char *name, bool *out)
{
    const char *v = http_query(req, name);
    if (!v)
        return 0;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        *out = false;
    else
        return http_error(req, 400, "invalid_parameter", name, "%s must be true or false",
                          name);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Progress as the rows are checked (?progress=true)
 *
 * The answer becomes a stream of JSON lines (application/x-ndjson) once the rows are read:
 * {"progress": {"done": N, "total": M}} after the first row, every PROGRESS_STEP rows and after
 * the last one (the rows are checked and written; the commit follows the last line), then
 * {"status": S, "answer": {...}} with the status and body the plain request would have had.
 * Before the rows (the upload, the file's format and encoding, its header) the answer is the
 * plain one. A stream, not a progress record another request polls: the worker that runs the
 * import is the only one that knows how far it is, and the client holds the connection anyway. */

enum { PROGRESS_STEP = 500 };

static const char NDJSON_TYPE[] = "application/x-ndjson; charset=utf-8";

struct progress_stream {
    struct request *req;
    bool started, gone;
};

static void progress_line(struct progress_stream *p, const char *line)
{
    if (!p->gone && (http_stream_write(p->req, line, strlen(line)) != 0 ||
                     http_stream_flush(p->req) != 0))
        p->gone = true; /* the import goes on: its outcome does not depend on who watches */
}

static void progress_report(void *ctx, size_t done, size_t total)
{
    struct progress_stream *p = ctx;
    if (done != 1 && done % PROGRESS_STEP != 0 && done != total)
        return;
    if (!p->started) {
        p->started = true;
        /* nginx would hold the lines back in its buffers otherwise. */
        http_header(p->req, "X-Accel-Buffering", "no");
        p->gone = http_stream_begin(p->req, 200, NDJSON_TYPE) != 0;
    }
    char line[96];
    snprintf(line, sizeof line, "{\"progress\":{\"done\":%zu,\"total\":%zu}}\n", done, total);
    progress_line(p, line);
}

/* The last line: the status and answer the import set. */
static int progress_end(struct progress_stream *p, int status)
{
    json_t *last = json_pack("{s:i, s:O?}", "status", status, "answer", p->req->body);
    char *text = json_dumps(last, JSON_COMPACT);
    json_decref(last);
    if (!text)
        out_of_memory();
    progress_line(p, text);
    progress_line(p, "\n");
    free(text); /* a POST: jansson allocates from the heap */
    return p->req->status = 200;
}

/* ------------------------------------------------------------------------------------------ */

/* POST /api/v1/imports/{kind}: the file is the body. */
static int post(struct request *req, const struct import_kind *kind)
{
    struct import_options opt = {0};
    bool progress = false;
    if (query_bool(req, "dry_run", &opt.dry_run) != 0 ||
        query_bool(req, "progress", &progress) != 0)
        return req->status;
    const char *errors = http_query(req, "errors");
    if (errors && strcmp(errors, "csv") != 0 && strcmp(errors, "json") != 0)
        return http_error(req, 400, "invalid_parameter", "errors",
                          "errors must be json or csv");
    if (progress && errors && strcmp(errors, "csv") == 0)
        return http_error(req, 400, "invalid_parameter", "progress",
                          "progress comes with JSON answers only, not with errors=csv");
    char *data;
    size_t len;
    if (http_read_upload(req, router_upload_limit(req->cfg), &data, &len) != 0)
        return req->status;
    struct progress_stream stream = {.req = req};
    if (progress) {
        opt.progress = progress_report;
        opt.progress_ctx = &stream;
    }
    int status = import_file(req, kind, data, len, &opt);
    json_t *list = req->body ? json_object_get(req->body, "errors") : NULL;
    if (status == 422 && list && (!errors || strcmp(errors, "csv") != 0)) {
        /* The first ones say what is wrong; the error file has the rest. */
        if (json_array_size(list) > IMPORT_ERRORS_SHOWN) {
            while (json_array_size(list) > IMPORT_ERRORS_SHOWN)
                json_array_remove(list, json_array_size(list) - 1);
            json_object_set_new(req->body, "errors_truncated", json_true());
        }
    }
    if (stream.started)
        return progress_end(&stream, status);
    if (!list || status != 422 || !errors || strcmp(errors, "csv") != 0)
        return status;
    size_t csv_len;
    const char *csv = import_errors_csv(req->arena, list, &csv_len);
    http_header(req, "Content-Disposition", "attachment; filename=\"import-errors.csv\"");
    return http_raw(req, 422, "text/csv; charset=utf-8", csv, csv_len);
}

/* GET /api/v1/imports/{kind}/template */
static int template(struct request *req, const struct import_kind *kind)
{
    const char *format = http_query(req, "format");
    if (format && strcmp(format, "json") == 0)
        return http_json(req, 200,
                         json_pack("{s:o}", "columns", import_template_columns(kind)));
    if (format && strcmp(format, "csv") != 0)
        return http_error(req, 400, "invalid_parameter", "format", "format must be csv or json");
    size_t len;
    const char *csv = import_template_csv(req->arena, kind, &len);
    http_header(req, "Content-Disposition",
                arena_printf(req->arena, "attachment; filename=\"%s-template.csv\"", kind->name));
    return http_raw(req, 200, "text/csv; charset=utf-8", csv, len);
}

int import_cadres_post(struct request *req)
{
    return post(req, &import_cadres_kind);
}

int import_cadres_template_get(struct request *req)
{
    return template(req, &import_cadres_kind);
}

int import_organisations_post(struct request *req)
{
    return post(req, &import_organisations_kind);
}

int import_organisations_template_get(struct request *req)
{
    return template(req, &import_organisations_kind);
}

int import_new_orgs_post(struct request *req)
{
    return post(req, &import_new_orgs_kind);
}

int import_new_orgs_template_get(struct request *req)
{
    return template(req, &import_new_orgs_kind);
}
