/* `jiceng import cadres|organisations|new-organisations FILE --as-region CODE [--dry-run]`:
 * the API's import for administrators, run on the command line with a progress bar. It acts in the jurisdiction of
 * CODE exactly as a clerk of that region would (the same code, the same my_* views), and the
 * audit log names the command as the actor. */
#include "import_cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "db.h"
#include "import.h"
#include "progress.h"
#include "region_code.h"
#include "roles.h"
#include "session.h"

/* Files larger than this are not read at all: a command-line import may be larger than one
 * through the API, but not without bound. */
enum { CLI_MAX_FILE = 1024 * 1024 * 1024 };

static const char REGION_KNOWN[] = "SELECT COUNT(*) FROM my_region WHERE code = ?";

/* Reads the whole file into arena memory. Returns 0, or -1 with the reason in err. */
static int read_file(struct arena *a, const char *path, char **data, size_t *len, char *err,
                     size_t errlen)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    long size = -1;
    if (fseek(in, 0, SEEK_END) == 0)
        size = ftell(in);
    rewind(in);
    if (size < 0 || size > CLI_MAX_FILE) {
        snprintf(err, errlen, "%s: %s", path,
                 size < 0 ? "cannot tell its size (not a regular file?)" : "larger than 1 GiB");
        fclose(in);
        return -1;
    }
    *data = arena_alloc(a, (size_t)size + 1);
    *len = fread(*data, 1, (size_t)size, in);
    bool failed = ferror(in) || *len != (size_t)size;
    fclose(in);
    if (failed) {
        snprintf(err, errlen, "%s: cannot read it", path);
        return -1;
    }
    (*data)[*len] = '\0';
    return 0;
}

static void on_row(void *ctx, size_t done, size_t total)
{
    progress_bar(ctx, "importing rows", done, total);
}

/* Prints what the answer says: the summary, or every error as "FILE:LINE: ..." the way
 * compilers do, so an editor can jump to it. */
static void report(const char *path, int status, json_t *body, FILE *out, FILE *err)
{
    json_t *errors = json_object_get(body, "errors");
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        json_t *line = json_object_get(e, "line"), *column = json_object_get(e, "column");
        const char *name = json_string_value(json_object_get(e, "column_name"));
        fprintf(err, "%s:", path);
        if (json_is_integer(line))
            fprintf(err, "%lld:", json_integer_value(line));
        if (json_is_integer(column))
            fprintf(err, " column %lld (%s):", json_integer_value(column), name ? name : "");
        else if (name)
            fprintf(err, " %s:", name);
        fprintf(err, " %s\n", json_string_value(json_object_get(e, "message")));
    }
    const char *message = json_string_value(json_object_get(json_object_get(body, "error"),
                                                            "message"));
    if (message) {
        fprintf(err, "import: %s (%d)\n", message, status);
        return;
    }
    /* "2 rows; people: 2 created, 0 updated, 0 unchanged; positions: 2 added, 0 held_already":
     * the kind's tallies are the objects of the summary. */
    fprintf(out, "%s%lld rows", json_is_true(json_object_get(body, "dry_run")) ? "dry run: " : "",
            json_integer_value(json_object_get(body, "rows")));
    const char *name, *key;
    json_t *tally, *n;
    json_object_foreach(body, name, tally) {
        if (!json_is_object(tally))
            continue;
        fprintf(out, "; %s:", name);
        const char *sep = " ";
        json_object_foreach(tally, key, n) {
            fprintf(out, "%s%lld %s", sep, json_integer_value(n), key);
            sep = ", ";
        }
    }
    bool committed = json_is_true(json_object_get(body, "committed"));
    fprintf(out, "%s\n", committed ? "" : "; nothing written");
}

/* Checks that region is a known code and sets the jurisdiction to it. */
static int enter_region(struct db *db, const char *region, char *err, size_t errlen)
{
    if (region_level_of(region) == LEVEL_NONE) {
        snprintf(err, errlen, "--as-region \"%.20s\" is not a region code of 2, 4, 6, 9 or 12"
                              " digits", region);
        return -1;
    }
    int rc = db_ready(db);
    if (rc == DB_OK)
        rc = db_set_jurisdiction(db, region);
    struct db_stmt *st = rc == DB_OK ? db_prepare(db, REGION_KNOWN) : NULL;
    if (!st) {
        snprintf(err, errlen, "database: %s", db_error(db));
        return -1;
    }
    db_bind_str(st, region);
    long long known = 0;
    if ((rc = db_execute(st)) == DB_OK && (rc = db_fetch(st)) == DB_ROW)
        known = db_col_int(st, 0);
    db_reset(st);
    if (rc != DB_ROW) {
        snprintf(err, errlen, "database: %s", db_error(db));
        return -1;
    }
    if (!known) {
        snprintf(err, errlen, "--as-region %s: no such region in the division table", region);
        return -1;
    }
    return 0;
}

int import_command(const struct config *cfg, const char *kind, const char *path,
                   const char *region, bool dry_run, FILE *out, FILE *err_out)
{
    char err[1024];
    const struct import_kind *k = import_kind_named(kind);
    if (!k) {
        fprintf(err_out, "jiceng import: unknown kind %s (cadres, organisations or new-organisations)\n", kind);
        return 2;
    }
    if (!region) {
        fprintf(err_out, "jiceng import: name the region to act for with --as-region CODE\n");
        return 2;
    }
    struct arena *a = arena_new();
    struct db *db = db_new(cfg, DB_ADMIN);
    char *data;
    size_t len;
    int rc = 1;
    if (read_file(a, path, &data, &len, err, sizeof err) != 0 ||
        enter_region(db, region, err, sizeof err) != 0) {
        fprintf(err_out, "jiceng import: %s\n", err);
        goto done;
    }
    struct session session = {.who = {.username = "jiceng import", .dn = "",
                                      .display_name = "jiceng import", .roles = ROLE_ADMIN}};
    snprintf(session.who.region, sizeof session.who.region, "%s", region);
    session.who.level = region_level_of(region);
    char request_id[64];
    snprintf(request_id, sizeof request_id, "cli-%ld-%d", (long)time(NULL), (int)getpid());
    struct request req = {.arena = a, .db = db, .cfg = cfg, .method = "IMPORT", .path = path,
                          .query = "", .content_type = "", .remote_addr = "",
                          .request_id = request_id, .session = &session, .status = 500};
    struct progress pr;
    progress_init(&pr, err_out);
    struct import_options opt = {.dry_run = dry_run, .progress = on_row, .progress_ctx = &pr};
    double started = progress_now();
    int status = import_file(&req, k, data, len, &opt);
    progress_end(&pr);
    report(path, status, req.body, out, err_out);
    if (status == 200)
        fprintf(out, "in %.1f s\n", progress_now() - started);
    rc = status == 200 ? 0 : 1;
done:
    db_free(db);
    arena_free(a);
    return rc;
}
