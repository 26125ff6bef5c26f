/* The records of the first worksheet of an XLSX workbook, with libzip for the archive and
 * expat for the XML in it (what Debian 12 has; the xlsxio library is built on the same two
 * but is not packaged). A workbook is a ZIP of XML parts: xl/workbook.xml lists the sheets,
 * xl/_rels/workbook.xml.rels says which part each is, xl/sharedStrings.xml holds the text that
 * cells refer to by number, and the sheet holds rows of cells. Formulas are never evaluated:
 * a formula cell gives the value Excel stored with it, and text that looks like a formula is
 * text. */
#include "import_file.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "arena.h"

/* Parts larger than this unpacked are refused: a small archive can unpack to gigabytes. */
enum { PART_MAX = 256 * 1024 * 1024, MAX_COLUMN = 16384 };

/* A growing buffer of text in arena memory. */
struct text {
    char *s;
    size_t len, cap;
};

static void text_add(struct arena *a, struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = arena_alloc(a, cap);
        if (t->len)
            memcpy(grown, t->s, t->len);
        t->s = grown;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* Reads one part of the archive into arena memory; NULL with err set when it is missing
 * (and required) or damaged. */
static char *read_part(struct arena *a, zip_t *zip, const char *name, bool required,
                       size_t *len, char *err, size_t errlen)
{
    zip_stat_t st;
    if (zip_stat(zip, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        if (required)
            snprintf(err, errlen, "the workbook has no %s: is it an Excel workbook (.xlsx)?",
                     name);
        return NULL;
    }
    if (st.size > PART_MAX) {
        snprintf(err, errlen, "%s is larger than %d MiB unpacked", name, PART_MAX >> 20);
        return NULL;
    }
    zip_file_t *f = zip_fopen(zip, name, 0);
    char *data = arena_alloc(a, (size_t)st.size + 1);
    zip_int64_t n = f ? zip_fread(f, data, st.size) : -1;
    /* zip_fclose reports a CRC mismatch: a damaged or cut-off part. */
    bool bad = !f || n != (zip_int64_t)st.size || zip_fclose(f) != 0;
    if (bad) {
        snprintf(err, errlen, "the workbook is damaged or cut off: %s cannot be read (%s)", name,
                 zip_strerror(zip));
        return NULL;
    }
    data[st.size] = '\0';
    *len = (size_t)st.size;
    return data;
}

/* Parses data with expat, calling start, end and chars with ctx. Returns 0, or -1 with err. */
static int parse_xml(const char *name, const char *data, size_t len, void *ctx,
                     XML_StartElementHandler start, XML_EndElementHandler end,
                     XML_CharacterDataHandler chars, char *err, size_t errlen)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        out_of_memory();
    XML_SetUserData(p, ctx);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, chars);
    int rc = 0;
    if (XML_Parse(p, data, (int)len, 1) == XML_STATUS_ERROR) {
        snprintf(err, errlen, "the workbook is damaged: %s, line %lu: %s", name,
                 (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
        rc = -1;
    }
    XML_ParserFree(p);
    return rc;
}

/* The local name of an element or attribute: "x:row" and "row" are both "row". */
static const char *local(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Which part is the first sheet */

struct sheet_ref {
    struct arena *a;
    const char *first_id; /* r:id of the first <sheet> in the workbook */
    const char *target;   /* the Target of the relationship with that id */
};

static void on_workbook(void *ctx, const char *el, const char **atts)
{
    struct sheet_ref *s = ctx;
    if (!s->first_id && strcmp(local(el), "sheet") == 0 && attr(atts, "id"))
        s->first_id = arena_strdup(s->a, attr(atts, "id"));
}

static void on_rels(void *ctx, const char *el, const char **atts)
{
    struct sheet_ref *s = ctx;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (strcmp(local(el), "Relationship") == 0 && id && target && s->first_id &&
        strcmp(id, s->first_id) == 0)
        s->target = arena_strdup(s->a, target);
}

static void ignore_end(void *ctx, const char *el)
{
    (void)ctx, (void)el;
}

static void ignore_chars(void *ctx, const char *s, int len)
{
    (void)ctx, (void)s, (void)len;
}

/* The archive name of the first worksheet: "xl/worksheets/sheet1.xml" for most workbooks. */
static const char *first_sheet(struct arena *a, zip_t *zip, char *err, size_t errlen)
{
    struct sheet_ref s = {.a = a};
    size_t len;
    char *xml = read_part(a, zip, "xl/workbook.xml", true, &len, err, errlen);
    if (!xml || parse_xml("xl/workbook.xml", xml, len, &s, on_workbook, ignore_end,
                          ignore_chars, err, errlen) != 0)
        return NULL;
    xml = read_part(a, zip, "xl/_rels/workbook.xml.rels", true, &len, err, errlen);
    if (!xml || parse_xml("xl/_rels/workbook.xml.rels", xml, len, &s, on_rels, ignore_end,
                          ignore_chars, err, errlen) != 0)
        return NULL;
    if (!s.target) {
        snprintf(err, errlen, "the workbook has no worksheet");
        return NULL;
    }
    /* Targets are relative to xl/, or absolute from the archive's root. */
    return s.target[0] == '/' ? s.target + 1 : arena_printf(a, "xl/%s", s.target);
}

/* ---------------------------------------------------------------------------------------- */
/* Shared strings */

struct strings {
    struct arena *a;
    const char **items;
    size_t count, cap;
    struct text current;
    bool in_t, in_phonetic; /* inside <t>; inside <rPh>, whose reading aids are no text */
};

static void on_strings_start(void *ctx, const char *el, const char **atts)
{
    (void)atts;
    struct strings *s = ctx;
    const char *name = local(el);
    if (strcmp(name, "si") == 0)
        s->current.len = 0;
    else if (strcmp(name, "rPh") == 0)
        s->in_phonetic = true;
    else if (strcmp(name, "t") == 0)
        s->in_t = !s->in_phonetic;
}

static void on_strings_end(void *ctx, const char *el)
{
    struct strings *s = ctx;
    const char *name = local(el);
    if (strcmp(name, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_phonetic = false;
    } else if (strcmp(name, "si") == 0) {
        if (s->count == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 256;
            const char **grown = arena_alloc(s->a, cap * sizeof *grown);
            if (s->count)
                memcpy(grown, s->items, s->count * sizeof *grown);
            s->items = grown;
            s->cap = cap;
        }
        s->items[s->count++] = s->current.len ? arena_strndup(s->a, s->current.s, s->current.len)
                                              : "";
    }
}

static void on_strings_chars(void *ctx, const char *text, int len)
{
    struct strings *s = ctx;
    if (s->in_t)
        text_add(s->a, &s->current, text, (size_t)len);
}

/* ---------------------------------------------------------------------------------------- */
/* The sheet */

struct sheet {
    struct arena *a;
    const struct strings *strings;
    struct import_table *out;
    size_t records_cap;
    const char **cells; /* of the row in progress, by column */
    int count, cells_cap;
    unsigned row;
    int column;          /* of the cell in progress, from 0 */
    char type[16];       /* its t attribute */
    struct text value;   /* its <v> or inline <t> text */
    bool in_value, in_inline_t, in_phonetic;
    const char *failed;  /* the first problem, for the caller's message */
};

/* "B12" -> 1; -1 when there are no letters or too many. */
static int column_of(const char *ref)
{
    int col = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++)
        col = col * 26 + (*ref - 'A' + 1);
    return letters && letters <= 3 && col <= MAX_COLUMN ? col - 1 : -1;
}

static void put_cell(struct sheet *sh, int column, const char *text)
{
    if (column >= sh->cells_cap) {
        int cap = sh->cells_cap ? sh->cells_cap : 32;
        while (cap <= column)
            cap *= 2;
        const char **grown = arena_alloc(sh->a, (size_t)cap * sizeof *grown);
        if (sh->cells_cap)
            memcpy(grown, sh->cells, (size_t)sh->cells_cap * sizeof *grown);
        for (int i = sh->cells_cap; i < cap; i++)
            grown[i] = "";
        sh->cells = grown;
        sh->cells_cap = cap;
    }
    for (int i = sh->count; i < column; i++)
        sh->cells[i] = "";
    sh->cells[column] = text;
    if (column + 1 > sh->count)
        sh->count = column + 1;
}

static void end_row(struct sheet *sh)
{
    struct import_table *t = sh->out;
    bool blank = true;
    for (int i = 0; i < sh->count && blank; i++)
        blank = !sh->cells[i][0];
    if (!blank) {
        if (t->count == sh->records_cap) {
            size_t cap = sh->records_cap ? 2 * sh->records_cap : 256;
            struct import_record *grown = arena_alloc(sh->a, cap * sizeof *grown);
            if (t->count)
                memcpy(grown, t->records, t->count * sizeof *grown);
            t->records = grown;
            sh->records_cap = cap;
        }
        const char **cells = arena_alloc(sh->a, (size_t)sh->count * sizeof *cells);
        memcpy(cells, sh->cells, (size_t)sh->count * sizeof *cells);
        t->records[t->count++] = (struct import_record){sh->row, sh->count, cells};
    }
    sh->count = 0;
}

static void on_sheet_start(void *ctx, const char *el, const char **atts)
{
    struct sheet *sh = ctx;
    const char *name = local(el), *a;
    if (strcmp(name, "row") == 0) {
        sh->count = 0;
        sh->row = (a = attr(atts, "r")) ? (unsigned)strtoul(a, NULL, 10) : sh->row + 1;
        sh->column = -1;
    } else if (strcmp(name, "c") == 0) {
        int col = (a = attr(atts, "r")) ? column_of(a) : sh->column + 1;
        if (col < 0 && !sh->failed)
            sh->failed = "a cell reference is not a column of letters and a row";
        sh->column = col < 0 ? sh->column + 1 : col;
        snprintf(sh->type, sizeof sh->type, "%s", (a = attr(atts, "t")) ? a : "n");
        sh->value.len = 0;
    } else if (strcmp(name, "v") == 0) {
        sh->in_value = true;
    } else if (strcmp(name, "rPh") == 0) {
        sh->in_phonetic = true;
    } else if (strcmp(name, "t") == 0) {
        sh->in_inline_t = !sh->in_phonetic;
    }
}

/* The text of a finished cell: a shared string by its number, or the stored value. */
static const char *cell_text(struct sheet *sh)
{
    const char *v = sh->value.len ? sh->value.s : "";
    if (strcmp(sh->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (!*v || *end || i >= sh->strings->count) {
            if (!sh->failed)
                sh->failed = "a cell refers to a shared string that is not there";
            return "";
        }
        return sh->strings->items[i];
    }
    return arena_strndup(sh->a, v, sh->value.len);
}

static void on_sheet_end(void *ctx, const char *el)
{
    struct sheet *sh = ctx;
    const char *name = local(el);
    if (strcmp(name, "v") == 0)
        sh->in_value = false;
    else if (strcmp(name, "t") == 0)
        sh->in_inline_t = false;
    else if (strcmp(name, "rPh") == 0)
        sh->in_phonetic = false;
    else if (strcmp(name, "c") == 0)
        put_cell(sh, sh->column, cell_text(sh));
    else if (strcmp(name, "row") == 0)
        end_row(sh);
}

static void on_sheet_chars(void *ctx, const char *text, int len)
{
    struct sheet *sh = ctx;
    if (sh->in_value || sh->in_inline_t)
        text_add(sh->a, &sh->value, text, (size_t)len);
}

/* ---------------------------------------------------------------------------------------- */

static int read_workbook(struct arena *a, zip_t *zip, struct import_table *out, char *err,
                         size_t errlen)
{
    const char *sheet_name = first_sheet(a, zip, err, errlen);
    if (!sheet_name)
        return -1;
    struct strings strings = {.a = a};
    size_t len;
    char *xml = read_part(a, zip, "xl/sharedStrings.xml", false, &len, err, errlen);
    if (!xml && err[0])
        return -1;
    if (xml && parse_xml("xl/sharedStrings.xml", xml, len, &strings, on_strings_start,
                         on_strings_end, on_strings_chars, err, errlen) != 0)
        return -1;
    if (!(xml = read_part(a, zip, sheet_name, true, &len, err, errlen)))
        return -1;
    struct sheet sh = {.a = a, .strings = &strings, .out = out};
    if (parse_xml(sheet_name, xml, len, &sh, on_sheet_start, on_sheet_end, on_sheet_chars, err,
                  errlen) != 0)
        return -1;
    if (sh.failed) {
        snprintf(err, errlen, "the workbook is damaged: %s", sh.failed);
        return -1;
    }
    return 0;
}

int import_xlsx_read(struct arena *a, const char *data, size_t len, struct import_table *out,
                     char *err, size_t errlen)
{
    *out = (struct import_table){0};
    err[0] = '\0';
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &error);
    /* ZIP_CHECKCONS: a cut-off archive is refused here rather than read in part. */
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error) : NULL;
    if (!zip) {
        snprintf(err, errlen, "the XLSX file is damaged or cut off (%s); save it again and"
                              " send the whole file", zip_error_strerror(&error));
        zip_source_free(src);
        zip_error_fini(&error);
        return -1;
    }
    zip_error_fini(&error);
    int rc = read_workbook(a, zip, out, err, errlen);
    zip_discard(zip); /* read only: nothing to write back; frees the source too */
    return rc;
}

bool import_excel_date(const char *text, char out[11])
{
    char *end;
    double serial = strtod(text, &end);
    if (!text[0] || *end || text[0] < '0' || text[0] > '9' || serial < 61 || serial > 2958465)
        return false;
    /* Serial 25569 is 1970-01-01; from 61 on Excel counts days without its 1900 leap day. */
    long z = (long)serial - 25569 + 719468; /* days since 0000-03-01 */
    long era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    char text_date[72]; /* y is at most 9999 for the serials allowed: always 10 characters */
    snprintf(text_date, sizeof text_date, "%04ld-%02ld-%02ld", y, m, d);
    memcpy(out, text_date, 10);
    out[10] = '\0';
    return true;
}
