/* Import files: telling CSV from XLSX from anything else, the encoding of CSV text, and its
 * records (libcsv). See import_file.h. */
#include "import_file.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "utf8.h"

static const char BOM[] = "\xef\xbb\xbf";

enum import_format import_sniff(const char *data, size_t len)
{
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
        return IMPORT_XLSX;
    /* Text has no NUL (UTF-16 would, and is not offered by the programs that save CSV) and
     * hardly any control bytes; a PDF, an image or an old binary .xls has plenty in its first
     * kilobytes. */
    size_t look = len < 8192 ? len : 8192, control = 0;
    for (size_t i = 0; i < look; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0)
            return IMPORT_UNKNOWN;
        control += (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
    }
    if (memchr(data, '\0', len) || control * 100 > look)
        return IMPORT_UNKNOWN;
    return IMPORT_CSV;
}

/* The line (from 1) that the byte at offset lies on. */
static unsigned line_of(const char *data, size_t offset)
{
    unsigned line = 1;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + offset - p))); p++)
        line++;
    return line;
}

static bool ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* A file that is not valid UTF-8 as a whole: refuses it when some lines are UTF-8 with
 * Chinese in them and others are not, naming the first of each. Returns true when refused. */
static bool mixed(const char *data, size_t len, char *err, size_t errlen)
{
    unsigned line = 0, utf8_line = 0, other_line = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - data) - at : len - at;
        line++;
        if (!ascii(data + at, n)) {
            if (utf8_valid(data + at, n)) {
                if (!utf8_line)
                    utf8_line = line;
            } else if (!other_line) {
                other_line = line;
            }
        }
        at += n + 1;
    }
    if (!utf8_line || !other_line)
        return false;
    snprintf(err, errlen,
             "line %u is not UTF-8, but line %u is: the file mixes encodings; save the whole"
             " file again as CSV UTF-8 (or all of it as CSV from a Chinese Excel, GB18030)",
             other_line, utf8_line);
    return true;
}

static char *from_gb18030(struct arena *a, const char *data, size_t len, size_t *out_len,
                          char *err, size_t errlen)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        snprintf(err, errlen, "GB18030 text cannot be converted on this server: %s",
                 strerror(errno));
        return NULL;
    }
    /* Two GB18030 bytes are at most three UTF-8 ones, four at most four. */
    size_t cap = len / 2 * 3 + 4;
    char *out = arena_alloc(a, cap + 1), *o = out;
    char *in = (char *)data;
    size_t in_left = len, out_left = cap;
    size_t rc = iconv(cd, &in, &in_left, &o, &out_left);
    int why = errno;
    iconv_close(cd);
    if (rc == (size_t)-1) {
        unsigned line = line_of(data, (size_t)(in - data));
        snprintf(err, errlen, "line %u is neither UTF-8 nor GB18030 text%s", line,
                 why == EINVAL ? " (the file ends inside a character)" : "");
        return NULL;
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    if (!utf8_valid(out, *out_len)) { /* GB18030 maps every sequence; this is a safety net */
        snprintf(err, errlen, "the file's text could not be read as GB18030");
        return NULL;
    }
    return out;
}

char *import_text_utf8(struct arena *a, const char *data, size_t len, size_t *out_len, char *err,
                       size_t errlen)
{
    bool bom = len >= 3 && memcmp(data, BOM, 3) == 0;
    if (bom)
        data += 3, len -= 3;
    if (utf8_valid(data, len)) {
        *out_len = len;
        return arena_strndup(a, data, len);
    }
    if (bom || mixed(data, len, err, errlen)) {
        if (bom) {
            unsigned line = 1;
            for (size_t at = 0; at < len; line++) {
                const char *nl = memchr(data + at, '\n', len - at);
                size_t n = nl ? (size_t)(nl - data) - at : len - at;
                if (!utf8_valid(data + at, n))
                    break;
                at += n + 1;
            }
            snprintf(err, errlen,
                     "line %u is not UTF-8, but the file starts as UTF-8 (with a byte order"
                     " mark): the file mixes encodings; save the whole file again as CSV UTF-8",
                     line);
        }
        return NULL;
    }
    return from_gb18030(a, data, len, out_len, err, errlen);
}

/* ---------------------------------------------------------------------------------------- */
/* CSV records */

struct csv_reader {
    struct arena *a;
    struct import_table *out;
    size_t cap;
    const char **cells; /* of the record in progress */
    int count, cells_cap;
    unsigned line, record_line;
};

static void on_field(void *data, size_t len, void *arg)
{
    struct csv_reader *r = arg;
    if (r->count == r->cells_cap) {
        int cap = r->cells_cap ? r->cells_cap * 2 : 32;
        const char **cells = arena_alloc(r->a, (size_t)cap * sizeof *cells);
        if (r->count)
            memcpy(cells, r->cells, (size_t)r->count * sizeof *cells);
        r->cells = cells;
        r->cells_cap = cap;
    }
    r->cells[r->count++] = len ? arena_strndup(r->a, data, len) : "";
}

static void on_record(int terminator, void *arg)
{
    (void)terminator;
    struct csv_reader *r = arg;
    struct import_table *t = r->out;
    if (t->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct import_record *records = arena_alloc(r->a, cap * sizeof *records);
        if (t->count)
            memcpy(records, t->records, t->count * sizeof *records);
        t->records = records;
        r->cap = cap;
    }
    const char **cells = arena_alloc(r->a, (size_t)(r->count ? r->count : 1) * sizeof *cells);
    if (r->count)
        memcpy(cells, r->cells, (size_t)r->count * sizeof *cells);
    t->records[t->count++] = (struct import_record){r->record_line, r->count, cells};
    r->count = 0;
    r->record_line = 0;
}

int import_csv_read(struct arena *a, const char *text, size_t len, struct import_table *out,
                    char *err, size_t errlen)
{
    *out = (struct import_table){0};
    struct csv_parser p;
    /* Strict: spreadsheet programs quote properly, so a stray quote means a broken file, and
     * guessing where its cells end could put values into the wrong columns. */
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err, errlen, "cannot start the CSV parser");
        return -1;
    }
    struct csv_reader r = {.a = a, .out = out};
    int rc = 0;
    /* One physical line at a time, so a record's first line is known even when a quoted cell
     * spans lines: it is the first non-blank line after the last record. */
    for (size_t at = 0; at < len && rc == 0;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - text) - at + 1 : len - at;
        r.line++;
        if (r.record_line == 0 && strspn(text + at, " \t\r\n") < n)
            r.record_line = r.line;
        if (csv_parse(&p, text + at, n, on_field, on_record, &r) != n) {
            snprintf(err, errlen, "line %u: %s", r.line,
                     csv_error(&p) == CSV_EPARSE
                         ? "a quote inside an unquoted cell, or text after a closing quote"
                         : csv_strerror(csv_error(&p)));
            rc = -1;
        }
        at += n;
    }
    if (rc == 0 && csv_fini(&p, on_field, on_record, &r) != 0) {
        snprintf(err, errlen, "line %u: a quoted cell is not closed", r.record_line);
        rc = -1;
    }
    csv_free(&p);
    return rc;
}
