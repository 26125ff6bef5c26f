/* The import engine: see import.h and import_kind.h. It reads a CSV or XLSX file into
 * records, matches the header against the kind's columns, turns every row into the JSON
 * object the API takes and hands it to the kind, collecting every error with its line and
 * column; all in one transaction, committed only when no row failed and it is no dry run. */
#include "import_kind.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "http.h"
#include "session.h"

const struct import_kind *import_kind_named(const char *name)
{
    if (strcmp(name, import_cadres_kind.name) == 0)
        return &import_cadres_kind;
    if (strcmp(name, import_organisations_kind.name) == 0)
        return &import_organisations_kind;
    if (strcmp(name, import_new_orgs_kind.name) == 0)
        return &import_new_orgs_kind;
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Errors */

/* Appends an error at line and file column col (-1: none) to the answer's list. */
static void push_error(struct import_run *r, unsigned line, int col, const char *column_name,
                       const char *field, const char *code, const char *message)
{
    r->error_count++;
    if (json_array_size(r->errors) >= IMPORT_ERRORS_KEPT)
        return;
    if (col >= 0)
        column_name = r->header->cells[col];
    json_array_append_new(
        r->errors,
        json_pack("{s:i, s:o, s:o, s:o, s:s, s:s}", "line", (int)line, "column",
                  col >= 0 ? json_integer(col + 1) : json_null(), "column_name",
                  column_name ? json_string(column_name) : json_null(), "field",
                  field ? json_string(field) : json_null(), "code", code, "message", message));
}

static int column_of_field(const struct import_kind *kind, const char *field)
{
    for (int i = 0; i < kind->column_count; i++)
        if (strcmp(kind->columns[i].field, field) == 0)
            return i;
    return -1;
}

void import_error(struct import_run *r, unsigned line, const char *field, const char *code,
                  const char *message)
{
    int i = field ? column_of_field(r->kind, field) : -1;
    const struct import_column *c = i >= 0 ? &r->kind->columns[i] : NULL;
    /* The API's reader names its codes ("must be one of female, male"); the file has the
     * Chinese names. Other failures of such a column (a rule) keep their message. */
    if (c && (c->kind == CELL_ENUM || c->kind == CELL_BOOL) &&
        (strncmp(message, "must be one of ", 15) == 0 ||
         strcmp(message, "must be true or false") == 0))
        message = import_allowed_message(r->req->arena, c);
    push_error(r, line, c ? r->file_col[i] : -1, c ? c->header : NULL, field, code, message);
}

bool import_checked(struct import_run *r, unsigned line, const struct fields *f,
                    long long errors_before)
{
    size_t i;
    json_t *e;
    json_array_foreach(f->errors, i, e) {
        import_error(r, line, json_string_value(json_object_get(e, "field")),
                     json_string_value(json_object_get(e, "code")),
                     json_string_value(json_object_get(e, "message")));
    }
    json_array_clear(f->errors);
    return r->error_count == errors_before;
}

bool import_first_time(struct import_run *r, unsigned line, const char *field, const char *key)
{
    json_t *first = json_object_get(r->seen, key);
    if (!first) {
        json_object_set_new(r->seen, key, json_integer(line));
        return true;
    }
    import_error(r, line, field, "duplicate",
                 arena_printf(r->req->arena, "the same %s is on line %d already",
                              strcmp(field, "id_number") == 0     ? "ID number"
                              : strcmp(field, "credit_code") == 0 ? "credit code"
                                                                  : "organisation",
                              (int)json_integer_value(first)));
    return false;
}

long long import_lookup_id(struct request *req, const char *sql, const char *a, const char *b,
                           bool *more, int *rc)
{
    struct db_stmt *st = db_prepare(req->db, sql);
    if (!st) {
        *rc = db_failure(req->db);
        return -1;
    }
    db_bind_str(st, a);
    if (b)
        db_bind_str(st, b);
    if ((*rc = db_execute(st)) != DB_OK)
        return -1;
    long long id = 0;
    if ((*rc = db_fetch(st)) == DB_ROW) {
        id = db_col_int(st, 0);
        *rc = db_fetch(st);
        if (more)
            *more = *rc == DB_ROW;
    }
    db_reset(st);
    if (*rc != DB_DONE && *rc != DB_ROW)
        return -1;
    *rc = DB_OK;
    return id;
}

/* ------------------------------------------------------------------------------------------ */
/* The header */

static const char *trimmed(struct arena *a, const char *s)
{
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", *s))
        s++, len--;
    /* The ideographic space (U+3000) that Chinese input methods type. */
    while (len >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
        s += 3, len -= 3;
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    while (len >= 3 && memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0)
        len -= 3;
    return arena_strndup(a, s, len);
}

/* Finds each of the kind's columns in the header; unknown, repeated and missing required
 * columns are errors. Returns 0 when the header is usable. */
static int read_header(struct import_run *r)
{
    struct arena *a = r->req->arena;
    const struct import_kind *k = r->kind;
    for (int i = 0; i < k->column_count; i++)
        r->file_col[i] = -1;
    long long before = r->error_count;
    const struct import_record *h = r->header;
    for (int col = 0; col < h->count; col++) {
        const char *name = trimmed(a, h->cells[col]);
        h->cells[col] = name;
        if (!name[0])
            continue; /* spreadsheets leave empty columns at the right */
        int found = -1;
        for (int i = 0; i < k->column_count && found < 0; i++)
            if (strcmp(name, k->columns[i].header) == 0 || strcmp(name, k->columns[i].field) == 0)
                found = i;
        if (found < 0)
            push_error(r, h->line, col, NULL, NULL, "unknown_column",
                       arena_printf(a, "\"%.60s\" is not a column of this import; see the"
                                       " template", name));
        else if (r->file_col[found] >= 0)
            push_error(r, h->line, col, NULL, k->columns[found].field, "duplicate_column",
                       arena_printf(a, "%s is column %d already", k->columns[found].header,
                                    r->file_col[found] + 1));
        else
            r->file_col[found] = col;
    }
    for (int i = 0; i < k->column_count; i++)
        if (k->columns[i].required && r->file_col[i] < 0)
            push_error(r, h->line, -1, k->columns[i].header, k->columns[i].field,
                       "missing_column",
                       arena_printf(a, "the column %s is missing", k->columns[i].header));
    return r->error_count == before ? 0 : -1;
}

const char *import_cell(struct import_run *r, const struct import_record *rec, const char *field)
{
    int i = column_of_field(r->kind, field), col = i >= 0 ? r->file_col[i] : -1;
    return col >= 0 && col < rec->count ? trimmed(r->req->arena, rec->cells[col]) : "";
}

/* ------------------------------------------------------------------------------------------ */
/* A row as the API's JSON */

static int index_in(const char *const *list, const char *s)
{
    for (int i = 0; list && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

/* 2024/1/15, 2024.1.15, 2024-1-15 or 2024年1月15日 as 2024-01-15; other text as it is, for
 * the API's date check to refuse. */
static const char *date_text(struct arena *a, const char *s)
{
    int y, m, d, n = 0;
    char s1[4], s2[4];
    if (sscanf(s, "%4d年%2d月%2d日%n", &y, &m, &d, &n) == 3 && !s[n])
        return arena_printf(a, "%04d-%02d-%02d", y, m, d);
    n = 0;
    if (sscanf(s, "%4d%1[-/.]%2d%1[-/.]%2d%n", &y, s1, &m, s2, &d, &n) == 5 && !s[n] &&
        s1[0] == s2[0] && y >= 1000)
        return arena_printf(a, "%04d-%02d-%02d", y, m, d);
    return s;
}

static json_t *cell_json(struct arena *a, const struct import_column *c, const char *s,
                         bool xlsx)
{
    int i;
    char date[11], *end;
    long long n;
    switch (c->kind) {
    case CELL_ENUM:
        if ((i = index_in(c->names, s)) >= 0)
            return json_string(c->codes[i]);
        break;
    case CELL_BOOL:
        if (strcmp(s, "是") == 0 || strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
            return json_true();
        if (strcmp(s, "否") == 0 || strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
            return json_false();
        break;
    case CELL_INT:
        n = strtoll(s, &end, 10);
        if (*end == '\0' || strcmp(end, ".0") == 0) /* a number cell of a workbook: "5.0" */
            return json_integer(n);
        break;
    case CELL_DATE:
        if (xlsx && import_excel_date(s, date))
            return json_string(date);
        return json_string(date_text(a, s));
    case CELL_TEXT:
        break;
    }
    /* Text, or a value the API's reader will refuse with the column's allowed values. */
    return json_string(s);
}

/* The row's cells as the API's members; empty cells are left out, as absent members. */
static json_t *row_json(struct import_run *r, const struct import_record *rec, bool *blank)
{
    json_t *row = json_object();
    *blank = true;
    for (int i = 0; i < r->kind->column_count; i++) {
        int col = r->file_col[i];
        if (col < 0 || col >= rec->count)
            continue;
        const char *s = trimmed(r->req->arena, rec->cells[col]);
        if (!s[0])
            continue;
        *blank = false;
        json_object_set_new(row, r->kind->columns[i].field,
                            cell_json(r->req->arena, &r->kind->columns[i], s, r->xlsx));
    }
    return row;
}

/* A row is a note (first cell starting with '#', as in the template) or has cells only. */
static bool is_note(const struct import_record *rec)
{
    return rec->count > 0 && rec->cells[0][strspn(rec->cells[0], " \t")] == '#';
}

/* Hands one row to the kind. Returns 0, or an error status that ends the import. */
static int import_row(struct import_run *r, const struct import_record *rec)
{
    struct request *req = r->req;
    bool blank;
    if (is_note(rec))
        return 0;
    json_t *row = row_json(r, rec, &blank);
    if (blank) {
        json_decref(row);
        return 0;
    }
    r->rows++;
    long long errors_before = r->error_count;
    for (int col = r->header->count; col < rec->count; col++)
        if (trimmed(req->arena, rec->cells[col])[0]) {
            push_error(r, rec->line, -1, NULL, NULL, "extra_cell",
                       arena_printf(req->arena, "column %d: a cell right of the last column",
                                    col + 1));
            break;
        }
    json_t *found = json_array();
    struct fields f = {.req = req, .body = row, .errors = found};
    int status = r->kind->row(r, rec->line, row, &f);
    import_checked(r, rec->line, &f, errors_before); /* what the kind left uncollected */
    r->rows_failed += r->error_count > errors_before;
    json_decref(found);
    json_decref(row);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* The whole import */

/* Sets the answer for a file that could not be read as rows: 422 with its reason. */
static int file_error(struct request *req, const char *code, unsigned line, const char *reason)
{
    http_error(req, 422, code, NULL, "%s", reason);
    json_t *error = json_pack("{s:o, s:n, s:n, s:n, s:s, s:s}", "line",
                              line ? json_integer(line) : json_null(), "column", "column_name",
                              "field", "code", code, "message", reason);
    json_object_set_new(req->body, "errors", json_pack("[o]", error));
    json_object_set_new(req->body, "error_count", json_integer(1));
    return 422;
}

/* The first "line N" in a reader's message. */
static unsigned line_in(const char *message)
{
    unsigned line = 0;
    const char *at = strstr(message, "line ");
    if (at)
        sscanf(at, "line %u", &line);
    return line;
}

/* Reads the file's records, whatever its format. Returns 0, or an error status with the
 * answer set. */
static int read_table(struct request *req, const char *data, size_t len, struct import_table *t)
{
    char err[512];
    switch (import_sniff(data, len)) {
    case IMPORT_XLSX:
        if (import_xlsx_read(req->arena, data, len, t, err, sizeof err) != 0)
            return file_error(req, "invalid_xlsx", 0, err);
        if (t->count == 0)
            return file_error(req, "empty_file", 0, "the first worksheet is empty");
        return 0;
    case IMPORT_UNKNOWN:
        return http_error(req, 415, "unsupported_file", NULL,
                          "the file is neither CSV nor XLSX; save the sheet from the"
                          " spreadsheet program as an Excel workbook (.xlsx) or as CSV (UTF-8)"
                          " and send that");
    case IMPORT_CSV:
        break;
    }
    size_t text_len;
    const char *text = import_text_utf8(req->arena, data, len, &text_len, err, sizeof err);
    if (!text)
        return file_error(req, strstr(err, "mixes") ? "mixed_encoding" : "invalid_encoding",
                          line_in(err), err);
    if (import_csv_read(req->arena, text, text_len, t, err, sizeof err) != 0)
        return file_error(req, "invalid_csv", line_in(err), err);
    if (t->count == 0)
        return file_error(req, "empty_file", 0, "the file has no header and no rows");
    return 0;
}

static json_t *summary(const struct import_run *r, bool committed)
{
    json_t *s = json_pack("{s:b, s:b, s:I, s:I, s:I}", "dry_run", r->opt->dry_run, "committed",
                          committed, "rows", (json_int_t)r->rows, "rows_with_errors",
                          (json_int_t)r->rows_failed, "error_count", (json_int_t)r->error_count);
    json_t *counts = r->kind->counts(r);
    json_object_update(s, counts);
    json_decref(counts);
    return s;
}

/* The import as one entry of the audit log besides the entries of the rows it wrote. */
static int audit_import(struct import_run *r, json_t *result)
{
    struct request *req = r->req;
    struct audit_entry e = {
        .actor = req->session->who.username,
        .actor_region = req->session->who.region,
        .region = req->session->who.region,
        .action = "import",
        .entity = r->kind->entity,
        .entity_id = req->request_id,
        .after = result,
        .request_id = req->request_id,
        .address = req->remote_addr,
    };
    return audit_write(req->db, &e);
}

static int run_rows(struct import_run *r, const struct import_table *t)
{
    int status = 0;
    for (size_t i = 1; i < t->count && status == 0; i++) {
        status = import_row(r, &t->records[i]);
        if (r->opt->progress)
            r->opt->progress(r->opt->progress_ctx, i, t->count - 1);
    }
    if (status == 0 && r->rows == 0 && r->error_count == 0)
        push_error(r, r->header->line, -1, NULL, NULL, "empty_file",
                   "the file has a header but no rows");
    return status;
}

/* Ends the transaction: commits when every row was right and it is no dry run (with the
 * batched audit entries and the import's own), else rolls back; sets the answer. */
static int finish(struct import_run *r, int status)
{
    struct request *req = r->req;
    bool commit = status == 0 && r->error_count == 0 && !r->opt->dry_run;
    json_t *result = summary(r, commit);
    int rc = DB_OK;
    if (commit)
        rc = audit_batch_flush(req->db, req->audit_batch);
    /* The import's own entry only when it changed something: importing the same file again
     * leaves the audit log as it was, too. */
    if (commit && r->changes && rc == DB_OK)
        rc = audit_import(r, result);
    if (commit && rc == DB_OK)
        rc = db_commit(req->db);
    if (commit && rc != DB_OK)
        status = http_db_error(req, rc);
    if (!commit || status != 0)
        db_rollback(req->db);
    if (status == 0 && r->error_count) {
        http_error(req, 422, "invalid_rows", NULL,
                   "the file has %lld errors; nothing was imported", r->error_count);
        json_object_update(req->body, result);
        json_object_set(req->body, "errors", r->errors);
        status = 422;
    } else if (status == 0) {
        status = http_json(req, 200, json_incref(result));
    }
    json_decref(result);
    return status;
}

int import_file(struct request *req, const struct import_kind *kind, const char *data,
                size_t len, const struct import_options *opt)
{
    struct import_table t;
    int status = read_table(req, data, len, &t);
    if (status != 0)
        return status;
    struct import_run r = {.req = req, .kind = kind, .opt = opt, .header = &t.records[0],
                           .errors = json_array(), .seen = json_object(),
                           .xlsx = import_sniff(data, len) == IMPORT_XLSX,
                           .state = arena_zalloc(req->arena, kind->state_size)};
    req->audit_batch = audit_batch_new();
    int rc = opt->dry_run ? db_begin_trial(req->db) : db_begin(req->db);
    if (rc != DB_OK) {
        status = http_db_error(req, rc);
    } else {
        if (read_header(&r) == 0 && kind->prepare)
            status = kind->prepare(&r, &t);
        if (status == 0 && r.error_count == 0) {
            status = run_rows(&r, &t);
            if (status == 0 && kind->flush)
                status = kind->flush(&r);
        }
        status = finish(&r, status);
    }
    audit_batch_free(req->audit_batch);
    req->audit_batch = NULL;
    json_decref(r.errors);
    json_decref(r.seen);
    return status;
}
