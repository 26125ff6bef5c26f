/* Imports through the API: POST /api/v1/imports/cadres, /organisations and /new-organisations
 * (the file as the body; ?dry_run=true checks without writing; ?errors=csv answers the row errors as a CSV file)
 * and GET .../template of each (CSV, or ?format=json for the columns). */
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

/* POST /api/v1/imports/{kind}: the file is the body. */
static int post(struct request *req, const struct import_kind *kind)
{
    struct import_options opt = {0};
    if (query_bool(req, "dry_run", &opt.dry_run) != 0)
        return req->status;
    const char *errors = http_query(req, "errors");
    if (errors && strcmp(errors, "csv") != 0 && strcmp(errors, "json") != 0)
        return http_error(req, 400, "invalid_parameter", "errors",
                          "errors must be json or csv");
    char *data;
    size_t len;
    if (http_read_upload(req, router_upload_limit(req->cfg), &data, &len) != 0)
        return req->status;
    int status = import_file(req, kind, data, len, &opt);
    json_t *list = req->body ? json_object_get(req->body, "errors") : NULL;
    if (status != 422 || !list)
        return status;
    if (!errors || strcmp(errors, "csv") != 0) {
        /* The first ones say what is wrong; the error file has the rest. */
        if (json_array_size(list) > IMPORT_ERRORS_SHOWN) {
            while (json_array_size(list) > IMPORT_ERRORS_SHOWN)
                json_array_remove(list, json_array_size(list) - 1);
            json_object_set_new(req->body, "errors_truncated", json_true());
        }
        return status;
    }
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
