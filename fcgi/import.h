/* Imports from spreadsheet files: cadres with their positions, organisations, and new economic
 * and social organisations. The rows are checked with the API's own readers and checks
 * (cadres.h, organisation.h, new_orgs.h, fields.h),
 * looked up and written through the my_* views only, in one transaction with their audit
 * entries, so a row outside the caller's jurisdiction is an error like any other and a failed
 * import leaves the database as it was. */
#ifndef JICENG_IMPORT_H
#define JICENG_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"

/* At most IMPORT_ERRORS_SHOWN errors are listed in a JSON answer of the API, and at most
 * IMPORT_ERRORS_KEPT in the error file; error_count has them all. */
enum { IMPORT_ERRORS_SHOWN = 1000, IMPORT_ERRORS_KEPT = 100000 };

struct import_options {
    bool dry_run; /* check and count everything, write nothing */
    /* Called after each row when not NULL (the command line draws its bar with it). */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
};

struct import_kind; /* cadres, organisations, new-organisations: see import_kind.h */

/* The kind of import named name ("cadres", "organisations", "new-organisations"), or NULL. */
const struct import_kind *import_kind_named(const char *name);

/* Imports the file data[0..len) (CSV or XLSX) of kind as the caller of req: req->session for
 * the audit log, req->db with the caller's jurisdiction set. Sets the answer and returns its
 * status: 200 with the summary {"dry_run", "committed", "rows", counts of the kind ...}; 422
 * with the same and "errors": [{"line", "column", "column_name", "field", "code", "message"}]
 * when a row or the file is wrong (nothing written); 415 for a file that is neither CSV nor
 * XLSX; or the status of a database failure. */
int import_file(struct request *req, const struct import_kind *kind, const char *data,
                size_t len, const struct import_options *opt);

/* The kind's columns as a CSV template: a UTF-8 byte order mark (so Excel reads it as UTF-8),
 * the Chinese headers, and a note line (first cell starting with '#', skipped on import) with
 * what each column takes. Arena memory; *len set. */
const char *import_template_csv(struct arena *a, const struct import_kind *kind, size_t *len);

/* The same as JSON: [{"header", "field", "required", "allowed": [...] or absent, "note"}].
 * New reference. */
json_t *import_template_columns(const struct import_kind *kind);

/* The "errors" of an import answer as CSV (UTF-8 with BOM): line, column, column name, code,
 * message; every cell that a spreadsheet would take for a formula is written as text. Arena
 * memory; *len set. */
const char *import_errors_csv(struct arena *a, const json_t *errors, size_t *len);

#endif
