/* What the import engine (import.c) shares with each kind of import (import_cadres.c,
 * import_organisations.c, import_new_orgs.c): the state of one run, and the hooks a kind fills in. The engine
 * reads the file, matches the header, turns each row into the JSON object the API takes and
 * collects errors; a kind checks that object with the API's own readers and writes it. */
#ifndef JICENG_IMPORT_KIND_H
#define JICENG_IMPORT_KIND_H

#include <jansson.h>
#include <stdbool.h>

#include "fields.h"
#include "import.h"
#include "import_columns.h"
#include "import_file.h"

enum { IMPORT_MAX_COLUMNS = 32, IMPORT_COUNTS = 6 };

struct import_run;

struct import_kind {
    const char *name;   /* "cadres": the path /api/v1/imports/cadres */
    const char *entity; /* of the import's own audit entry, e.g. "cadre_import" */
    const struct import_column *columns;
    int column_count;
    /* Checks one row (row: its cells as the API's members; f reads row and collects every
     * failure) and writes it when import_checked says it may. Returns 0, or an error status
     * with the answer set (a database failure) that ends the import. */
    int (*row)(struct import_run *r, unsigned line, json_t *row, struct fields *f);
    /* NULL, or called once with all the records (the header first) before the rows: for
     * lookups done many rows to a statement. Returns 0 or an error status, as row. */
    int (*prepare)(struct import_run *r, const struct import_table *t);
    /* NULL, or called once after the last row, before the transaction ends: for writes done
     * many rows to a statement, the rows still waiting. Returns 0 or an error status, as row. */
    int (*flush)(struct import_run *r);
    /* What the run counted, as members of the summary. New reference. */
    json_t *(*counts)(const struct import_run *r);
    size_t state_size; /* of the kind's own state, zeroed for each run: r->state */
};

struct import_run {
    struct request *req;
    const struct import_kind *kind;
    const struct import_options *opt;
    const struct import_record *header;
    int file_col[IMPORT_MAX_COLUMNS]; /* per column of the kind: its index in the file, or -1 */
    json_t *errors;                   /* up to IMPORT_ERRORS_KEPT */
    long long error_count, rows, rows_failed;
    json_t *seen;  /* natural key -> line where it was first */
    bool xlsx;     /* date cells may hold Excel's serial numbers */
    long long count[IMPORT_COUNTS]; /* the kind's tallies (created, updated ...) */
    long long changes;              /* rows written: the import gets its own audit entry */
    void *state;
};

/* Records an error on line about the API member field (NULL: the whole line), in the column
 * that feeds it; for a column of allowed values the message lists them. */
void import_error(struct import_run *r, unsigned line, const char *field, const char *code,
                  const char *message);

/* Moves what f collected into the run's errors. True when the row has had no error since
 * errors_before (r->error_count when its checks began), so it may be written. */
bool import_checked(struct import_run *r, unsigned line, const struct fields *f,
                    long long errors_before);

/* True the first time key (the row's natural key) is seen; else records a duplicate error on
 * field naming the line where it was first. */
bool import_first_time(struct import_run *r, unsigned line, const char *field, const char *key);

/* The text of the cell of the kind's column field in rec, trimmed; "" when empty or absent.
 * Arena memory. */
const char *import_cell(struct import_run *r, const struct import_record *rec, const char *field);

/* The id in the first column of the first row of sql (one or two text parameters, b NULL for
 * one): 0 when there is none, -1 with *rc set on failure. *more (when not NULL) says whether
 * a second row came. */
long long import_lookup_id(struct request *req, const char *sql, const char *a, const char *b,
                           bool *more, int *rc);

extern const struct import_kind import_cadres_kind;
extern const struct import_kind import_organisations_kind;
extern const struct import_kind import_new_orgs_kind;

#endif
