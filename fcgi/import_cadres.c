/* Importing cadres with their positions from a file: see import.h. Each row becomes the JSON
 * object the API takes, read and checked by the API's own code (cadre_person_read,
 * position_input_read, cadre_person_check), and is written with the API's own writers, so a
 * row is accepted exactly when the same cadre entered by hand would be. The natural key is the
 * ID number: a person already on the roll with the same data, and a position she holds
 * already, are left as they are, so importing a file twice changes nothing the second time. */
#include "import.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "cadres.h"
#include "db.h"
#include "http.h"
#include "import_columns.h"
#include "import_file.h"
#include "region_code.h"
#include "session.h"

static const char PERSON_BY_ID_NUMBER[] = "SELECT id FROM my_person WHERE id_number = ?";
static const char FEDERATION_OF_REGION[] =
    "SELECT id FROM my_organisation WHERE federation_of = ?";
static const char ORGANISATION_BY_NAME[] =
    "SELECT id FROM my_organisation WHERE region = ? AND name = ? ORDER BY id LIMIT 2";
static const char POSITION_HELD[] =
    "SELECT id FROM my_position WHERE person_id = ? AND organisation_id = ? AND role = ?"
    " AND end_date IS NULL LIMIT 1";

enum { MAX_COLUMNS = 32 };

struct run {
    struct request *req;
    const struct import_options *opt;
    const struct import_record *header;
    int file_col[MAX_COLUMNS]; /* per cadre_columns entry: its index in the file, or -1 */
    json_t *errors;            /* every error, up to IMPORT_ERRORS_KEPT */
    long long error_count, rows, rows_failed;
    json_t *orgs; /* "region\norganisation name" -> id, 0 when there is none */
    json_t *seen; /* ID number -> line where it was first */
    bool xlsx;    /* date cells may hold Excel's serial numbers */
    struct position_org *orgs_loaded; /* for position_add, each loaded once */
    int orgs_count, orgs_cap;
    long long created, updated, unchanged, positions_added, positions_held;
};

/* ------------------------------------------------------------------------------------------ */
/* Errors */

static const struct import_column *column_of_field(const char *field, int *index)
{
    for (int i = 0; i < cadre_column_count; i++)
        if (strcmp(cadre_columns[i].field, field) == 0) {
            *index = i;
            return &cadre_columns[i];
        }
    return NULL;
}

/* Appends an error at line and file column col (-1: none) to the answer's list. */
static void push_error(struct run *r, unsigned line, int col, const char *column_name,
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

/* Records an error on line about the API member field (NULL: the whole line), in the column
 * that feeds it. */
static void add_error(struct run *r, unsigned line, const char *field, const char *code,
                      const char *message)
{
    int index = -1;
    const struct import_column *c = field ? column_of_field(field, &index) : NULL;
    if (c && (c->kind == CELL_ENUM || c->kind == CELL_BOOL) && strcmp(code, "invalid") == 0)
        message = import_allowed_message(r->req->arena, c);
    push_error(r, line, c ? r->file_col[index] : -1, c ? c->header : NULL, field, code, message);
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

/* Finds each known column in the header; unknown, repeated and missing required columns are
 * errors. Returns 0 when the header is usable. */
static int read_header(struct run *r)
{
    struct arena *a = r->req->arena;
    for (int i = 0; i < cadre_column_count; i++)
        r->file_col[i] = -1;
    long long before = r->error_count;
    const struct import_record *h = r->header;
    for (int col = 0; col < h->count; col++) {
        const char *name = trimmed(a, h->cells[col]);
        h->cells[col] = name;
        if (!name[0])
            continue; /* spreadsheets leave empty columns at the right */
        int found = -1;
        for (int i = 0; i < cadre_column_count && found < 0; i++)
            if (strcmp(name, cadre_columns[i].header) == 0 ||
                strcmp(name, cadre_columns[i].field) == 0)
                found = i;
        if (found < 0) {
            push_error(r, h->line, col, NULL, NULL, "unknown_column",
                       arena_printf(a, "\"%.60s\" is not a column of this import; see the"
                                       " template", name));
        } else if (r->file_col[found] >= 0) {
            push_error(r, h->line, col, NULL, cadre_columns[found].field, "duplicate_column",
                       arena_printf(a, "%s is column %d already", cadre_columns[found].header,
                                    r->file_col[found] + 1));
        } else {
            r->file_col[found] = col;
        }
    }
    for (int i = 0; i < cadre_column_count; i++)
        if (cadre_columns[i].required && r->file_col[i] < 0)
            push_error(r, h->line, -1, cadre_columns[i].header, cadre_columns[i].field,
                       "missing_column",
                       arena_printf(a, "the column %s is missing", cadre_columns[i].header));
    return r->error_count == before ? 0 : -1;
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
    char date[11];
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
static json_t *row_json(struct run *r, const struct import_record *rec, bool *blank)
{
    json_t *row = json_object();
    *blank = true;
    for (int i = 0; i < cadre_column_count; i++) {
        int col = r->file_col[i];
        if (col < 0 || col >= rec->count)
            continue;
        const char *s = trimmed(r->req->arena, rec->cells[col]);
        if (!s[0])
            continue;
        *blank = false;
        json_object_set_new(row, cadre_columns[i].field,
                            cell_json(r->req->arena, &cadre_columns[i], s, r->xlsx));
    }
    return row;
}

/* ------------------------------------------------------------------------------------------ */
/* Looking up and writing, through the my_* views */

/* The id of the first row of a one-column query with up to two text parameters; 0 when there
 * is none; -1 with *rc set on failure. *more is set when a second row came. */
static long long lookup(struct request *req, const char *sql, const char *a, const char *b,
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

/* The organisation a row names: the one of that name in the region, or without a name the
 * region's federation (or village congress). Records the error and answers 0 when the caller
 * has none such in her jurisdiction; -1 on a database failure (the answer set). */
static long long find_organisation(struct run *r, unsigned line, const char *region,
                                   const char *name)
{
    struct request *req = r->req;
    if (region_level_of(region) == LEVEL_NONE) {
        add_error(r, line, "region", "invalid", "must be a region code of 2, 4, 6, 9 or 12 digits");
        return 0;
    }
    const char *key = arena_printf(req->arena, "%s\n%s", region, name ? name : "");
    json_t *known = json_object_get(r->orgs, key);
    long long id;
    bool more = false;
    int rc = DB_OK;
    if (known) {
        id = json_integer_value(known);
    } else {
        id = name ? lookup(req, ORGANISATION_BY_NAME, region, name, &more, &rc)
                  : lookup(req, FEDERATION_OF_REGION, region, NULL, NULL, &rc);
        if (id < 0) {
            http_db_error(req, rc);
            return -1;
        }
        if (more)
            id = -2;
        json_object_set_new(r->orgs, key, json_integer(id));
    }
    if (id == -2)
        add_error(r, line, "organisation_name", "ambiguous",
                  arena_printf(req->arena, "region %s has more than one organisation named %s",
                               region, name));
    else if (id == 0 && name)
        add_error(r, line, "organisation_name", "not_found",
                  arena_printf(req->arena, "no organisation named %s in region %s in your"
                                           " jurisdiction", name, region));
    else if (id == 0)
        add_error(r, line, "region", "not_found",
                  arena_printf(req->arena, "no federation of region %s in your jurisdiction",
                               region));
    return id > 0 ? id : 0;
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Empty optional cells keep what the person has; true when v then equals the stored row. */
static bool merge_unchanged(struct person_values *v, const json_t *row)
{
    static const char *const names[] = {"name",      "gender",   "birth_date",
                                        "ethnicity", "education", "political_status",
                                        "id_number", "mobile",   "occupation"};
    const char **members[] = {&v->name,      &v->gender,    &v->birth_date,
                              &v->ethnicity, &v->education, &v->political_status,
                              &v->id_number, &v->mobile,    &v->occupation};
    bool same = true;
    for (int i = 0; i < 9; i++) {
        const char *stored = json_string_value(json_object_get(row, names[i]));
        if (!*members[i])
            *members[i] = stored;
        else if (!same_text(*members[i], stored))
            same = false;
    }
    return same;
}

/* The organisation id as position_add takes it, loaded once per import. NULL with the answer
 * set on failure. */
static const struct position_org *organisation(struct run *r, long long id)
{
    for (int i = 0; i < r->orgs_count; i++)
        if (r->orgs_loaded[i].id == id)
            return &r->orgs_loaded[i];
    if (r->orgs_count == r->orgs_cap) {
        int cap = r->orgs_cap ? 2 * r->orgs_cap : 64;
        struct position_org *grown = arena_alloc(r->req->arena, (size_t)cap * sizeof *grown);
        if (r->orgs_count)
            memcpy(grown, r->orgs_loaded, (size_t)r->orgs_count * sizeof *grown);
        r->orgs_loaded = grown;
        r->orgs_cap = cap;
    }
    struct position_org *org = &r->orgs_loaded[r->orgs_count];
    if (position_org_load(r->req, id, org) != 0)
        return NULL;
    r->orgs_count++;
    return org;
}

/* Writes the person (new, changed or as she is) of a checked row. A new person is the common
 * case of a first import, so the insert comes first and the lookup only when her ID number is
 * taken. Returns 0 with *id and *fresh set, 0 with an error recorded when the ID number is
 * taken outside the jurisdiction, or an error status with the answer set. */
static int write_person(struct run *r, unsigned line, const struct position_org *org,
                        struct person_values *v, long long *id, bool *fresh)
{
    struct request *req = r->req;
    struct person_values created = *v;
    if (!created.ethnicity)
        created.ethnicity = "汉族";
    if (!created.occupation)
        created.occupation = "other";
    int rc, status = cadre_person_insert(req, org->region, &created, id);
    *fresh = status == 0;
    if (status != 409) {
        r->created += *fresh;
        return status;
    }
    *id = lookup(req, PERSON_BY_ID_NUMBER, v->id_number, NULL, NULL, &rc);
    if (*id < 0)
        return http_db_error(req, rc);
    if (*id == 0) {
        add_error(r, line, "id_number", "duplicate",
                  "a person with this ID number is on the roll outside your jurisdiction");
        return 0;
    }
    json_t *before = cadre_person_row(req, *id, true, &rc);
    if (!before)
        return http_db_error(req, rc == DB_DONE ? DB_ERROR : rc);
    status = 0;
    if (merge_unchanged(v, before))
        r->unchanged++;
    else if ((status = cadre_person_store(req, *id, before, v)) == 0)
        r->updated++;
    json_decref(before);
    return status;
}

/* True when the person holds a current position of that role in the organisation already;
 * sets *rc (DB_OK or an error). */
static bool holds(struct request *req, long long person_id, const struct position_input *in,
                  int *rc)
{
    struct db_stmt *st = db_prepare(req->db, POSITION_HELD);
    if (!st) {
        *rc = db_failure(req->db);
        return false;
    }
    db_bind_int(st, person_id);
    db_bind_int(st, in->organisation_id);
    db_bind_str(st, cadre_roles[in->role]);
    if ((*rc = db_execute(st)) != DB_OK || ((*rc = db_fetch(st)) != DB_ROW && *rc != DB_DONE))
        return false;
    bool held = *rc == DB_ROW;
    db_reset(st);
    *rc = DB_OK;
    return held;
}

/* Writes a checked row: the person, then her position unless she holds it already. */
static int write_row(struct run *r, unsigned line, struct person_values *v,
                     const struct position_input *in)
{
    struct request *req = r->req;
    const struct position_org *org = organisation(r, in->organisation_id);
    if (!org)
        return req->status;
    long long person_id, position_id, errors = r->error_count;
    bool fresh = false;
    int rc = DB_OK, status = write_person(r, line, org, v, &person_id, &fresh);
    if (status != 0 || r->error_count > errors)
        return status;
    /* A new person holds nothing yet. */
    if (!fresh && holds(req, person_id, in, &rc)) {
        r->positions_held++;
        return 0;
    }
    if (rc != DB_OK)
        return http_db_error(req, rc);
    if ((status = position_add(req, person_id, in, org, &position_id)) == 0)
        r->positions_added++;
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Rows */

/* A row is a note (first cell starting with '#', as in the template) or has cells only. */
static bool is_note(const struct import_record *rec)
{
    return rec->count > 0 && rec->cells[0][strspn(rec->cells[0], " \t")] == '#';
}

/* Checks one row with the API's readers, collecting every failure, and writes it when it
 * passed. Returns 0, or an error status (a database failure) that ends the import. */
static int import_row(struct run *r, const struct import_record *rec)
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
    json_t *found = json_array();
    struct fields f = {.req = req, .body = row, .errors = found};
    struct person_values v = {0};
    struct position_input in = {0};
    int status = 0;
    if (rec->count > r->header->count)
        for (int col = r->header->count; col < rec->count; col++)
            if (trimmed(req->arena, rec->cells[col])[0]) {
                push_error(r, rec->line, -1, NULL, NULL, "extra_cell",
                           arena_printf(req->arena, "column %d: a cell right of the last column",
                                        col + 1));
                break;
            }
    cadre_person_read(&f, &v, REQUIRED);
    const char *region = json_string_value(json_object_get(row, "region"));
    long long org = 0;
    if (!region)
        field_fail(&f, "region", "required", "is required");
    else if ((org = find_organisation(
                  r, rec->line, region,
                  json_string_value(json_object_get(row, "organisation_name")))) < 0)
        status = req->status;
    /* A stand-in for a row whose organisation was not found (its error is recorded), so the
     * rest of the position is still checked. */
    json_object_set_new(row, "organisation_id", json_integer(org > 0 ? org : 1));
    position_input_read(&f, &in);
    cadre_person_check(&f, &v);
    size_t i;
    json_t *e;
    json_array_foreach(found, i, e) {
        add_error(r, rec->line, json_string_value(json_object_get(e, "field")),
                  json_string_value(json_object_get(e, "code")),
                  json_string_value(json_object_get(e, "message")));
    }
    if (v.id_number && !f.failed) {
        json_t *first = json_object_get(r->seen, v.id_number);
        if (first)
            add_error(r, rec->line, "id_number", "duplicate",
                      arena_printf(req->arena, "the same ID number is on line %d already",
                                   (int)json_integer_value(first)));
        else
            json_object_set_new(r->seen, v.id_number, json_integer(rec->line));
    }
    if (status == 0 && r->error_count == errors_before)
        status = write_row(r, rec->line, &v, &in);
    r->rows_failed += r->error_count > errors_before;
    json_decref(found);
    json_decref(row); /* after the writes: v's strings are the row's */
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
    if (!text) {
        unsigned line = 0;
        sscanf(strstr(err, "line ") ? strstr(err, "line ") : "", "line %u", &line);
        return file_error(req, strstr(err, "mixes") ? "mixed_encoding" : "invalid_encoding",
                          line, err);
    }
    if (import_csv_read(req->arena, text, text_len, t, err, sizeof err) != 0) {
        unsigned line = 0;
        sscanf(err, "line %u", &line);
        return file_error(req, "invalid_csv", line, err);
    }
    if (t->count == 0)
        return file_error(req, "empty_file", 0, "the file has no header and no rows");
    return 0;
}

static json_t *summary(const struct run *r, bool committed)
{
    return json_pack("{s:b, s:b, s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I}, s:I, s:I}", "dry_run",
                     r->opt->dry_run, "committed", committed, "rows", (json_int_t)r->rows,
                     "people", "created", (json_int_t)r->created, "updated",
                     (json_int_t)r->updated, "unchanged", (json_int_t)r->unchanged, "positions",
                     "added", (json_int_t)r->positions_added, "held_already",
                     (json_int_t)r->positions_held, "rows_with_errors",
                     (json_int_t)r->rows_failed, "error_count", (json_int_t)r->error_count);
}

/* The import as one entry of the audit log besides the entries of the rows it wrote. */
static int audit_import(struct run *r, json_t *result)
{
    struct request *req = r->req;
    struct audit_entry e = {
        .actor = req->session->who.username,
        .actor_region = req->session->who.region,
        .region = req->session->who.region,
        .action = "import",
        .entity = "cadre_import",
        .entity_id = req->request_id,
        .after = result,
        .request_id = req->request_id,
        .address = req->remote_addr,
    };
    return audit_write(req->db, &e);
}

static int run_rows(struct run *r, const struct import_table *t)
{
    int status = 0;
    for (size_t i = 1; i < t->count && status == 0; i++) {
        status = import_row(r, &t->records[i]);
        if (r->opt->progress)
            r->opt->progress(r->opt->progress_ctx, i, t->count - 1);
    }
    if (status == 0 && r->rows == 0 && r->error_count == 0)
        add_error(r, r->header->line, NULL, "empty_file", "the file has a header but no rows");
    return status;
}

int import_cadres(struct request *req, const char *data, size_t len,
                  const struct import_options *opt)
{
    struct import_table t;
    int status = read_table(req, data, len, &t);
    if (status != 0)
        return status;
    struct run r = {.req = req, .opt = opt, .header = &t.records[0], .errors = json_array(),
                    .orgs = json_object(), .seen = json_object(),
                    .xlsx = import_sniff(data, len) == IMPORT_XLSX};
    req->audit_batch = audit_batch_new();
    int rc = db_begin(req->db);
    if (rc != DB_OK) {
        status = http_db_error(req, rc);
    } else {
        if (read_header(&r) == 0)
            status = run_rows(&r, &t);
        bool commit = status == 0 && r.error_count == 0 && !opt->dry_run;
        json_t *result = summary(&r, commit);
        /* The import's own entry only when it changed something: importing the same file
         * again leaves the audit log as it was, too. */
        bool changed = r.created + r.updated + r.positions_added > 0;
        if (commit)
            rc = audit_batch_flush(req->db, req->audit_batch);
        if (commit && changed && rc == DB_OK)
            rc = audit_import(&r, result);
        if (commit && rc == DB_OK)
            rc = db_commit(req->db);
        if (commit && rc != DB_OK)
            status = http_db_error(req, rc);
        if (!commit || status != 0)
            db_rollback(req->db);
        if (status == 0 && r.error_count) {
            http_error(req, 422, "invalid_rows", NULL,
                       "the file has %lld errors; nothing was imported", r.error_count);
            json_object_update(req->body, result);
            json_object_set(req->body, "errors", r.errors);
            status = 422;
        } else if (status == 0) {
            status = http_json(req, 200, json_incref(result));
        }
        json_decref(result);
    }
    audit_batch_free(req->audit_batch);
    req->audit_batch = NULL;
    json_decref(r.errors);
    json_decref(r.orgs);
    json_decref(r.seen);
    return status;
}
