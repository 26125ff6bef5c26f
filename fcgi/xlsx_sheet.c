/* A one-sheet workbook written row by row; see xlsx_sheet.h for why it is not libxlsxwriter. */
#include "xlsx_sheet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "arena.h"

/* The XML is written in pieces of this size: few system calls, little memory. */
/* A cell holds at most 32,767 characters in Excel; CELL_MAX bytes escaped fit the buffer. */
enum { BUF_SIZE = 256 * 1024, OUT_SIZE = 64 * 1024, CELL_MAX = 32 * 1024,
       MAX_COLUMNS = 702 /* A to ZZ */ };

struct xlsx_sheet {
    const char *path, *deflated_path;
    char *sheet_name;
    int fd, columns;
    int column, next_ref; /* the next cell's column; the one a cell without r="" would be at */
    bool failed, in_row;
    unsigned long row; /* 1-based, as in the sheet */
    char row_text[24]; /* row's digits, for the cells' references */
    char (*column_names)[3]; /* "A" to "ZZ" */
    char *buf; /* the XML not deflated yet */
    size_t len;
    /* The sheet's XML is deflated into the file as it is written: its CRC and sizes are the
     * zip entry's, given to libzip with the deflated data (sheet_source). */
    z_stream z;
    unsigned char *out;
    unsigned long crc;
    zip_uint64_t size, deflated_size;
    zip_error_t error;
};

static const char XML_HEAD[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG_REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
    "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd."
    "openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.spreadsheetml.styles+xml\"/></Types>";

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"" PKG_REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_NS
    "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

static const char WORKBOOK_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"" PKG_REL_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_NS
    "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" REL_NS
    "/styles\" Target=\"styles.xml\"/></Relationships>";

/* Style 0 is the default; style 1 (s="1") is bold, for the header row. */
static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"" MAIN_NS "\"><fonts count=\"2\">"
    "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs><cellXfs count=\"2\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
    "</cellStyles></styleSheet>";

static const char SHEET_END[] = "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\""
                                " bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>";

/* ------------------------------------------------------------------------------------------ */
/* The worksheet's XML, deflated */

static void write_all(struct xlsx_sheet *s, const unsigned char *p, size_t n)
{
    while (!s->failed && n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            s->failed = true;
        else
            p += w, n -= (size_t)w, s->deflated_size += (zip_uint64_t)w;
    }
}

/* Deflates the XML in the buffer into the file; with Z_FINISH, the end of the stream too.
 * Deflating as the rows come, rather than zipping a file of XML at the end, spares writing and
 * reading back the XML, ten times the size of what it deflates to. */
static void flush_buf(struct xlsx_sheet *s, int flush)
{
    s->crc = crc32(s->crc, (const unsigned char *)s->buf, (unsigned)s->len);
    s->size += s->len;
    s->z.next_in = (unsigned char *)s->buf;
    s->z.avail_in = (unsigned)s->len;
    do {
        s->z.next_out = s->out;
        s->z.avail_out = OUT_SIZE;
        if (deflate(&s->z, flush) == Z_STREAM_ERROR)
            s->failed = true;
        write_all(s, s->out, OUT_SIZE - s->z.avail_out);
    } while (s->z.avail_out == 0 && !s->failed);
    s->len = 0;
}

/* Room for n more bytes in the buffer (n <= BUF_SIZE): where to write them. */
static char *room(struct xlsx_sheet *s, size_t n)
{
    if (s->len + n > BUF_SIZE)
        flush_buf(s, Z_NO_FLUSH);
    return s->buf + s->len;
}

/* Appends a string literal at o; its length is known when compiled. */
#define PUT(o, literal) (memcpy((o), (literal), sizeof(literal) - 1), (o) + sizeof(literal) - 1)

static char *put_text(char *o, const char *text)
{
    size_t n = strlen(text);
    memcpy(o, text, n);
    return o + n;
}

static char *put_number(char *o, long long n)
{
    char digits[24];
    size_t i = sizeof digits;
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    do
        digits[--i] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (n < 0)
        digits[--i] = '-';
    memcpy(o, digits + i, sizeof digits - i);
    return o + (sizeof digits - i);
}

/* Appends text as XML character data: & < > escaped, and the control characters XML 1.0 has
 * no room for written as Excel writes them, _xHHHH_. Needs room for 7 bytes a byte. */
static char *put_escaped(char *o, const char *text, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c > '>' || (c >= 0x20 && c != '&' && c != '<' && c != '>')) { /* UTF-8, letters */
            *o++ = (char)c;
        } else if (c == '&') {
            o = PUT(o, "&amp;");
        } else if (c == '<') {
            o = PUT(o, "&lt;");
        } else if (c == '>') {
            o = PUT(o, "&gt;");
        } else if (c == '\t' || c == '\n' || c == '\r') {
            *o++ = (char)c;
        } else {
            o = PUT(o, "_x00");
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
            *o++ = '_';
        }
    }
    return o;
}

static void start_row(struct xlsx_sheet *s)
{
    s->in_row = true;
    s->row++;
    s->column = s->next_ref = 0;
    *put_number(s->row_text, (long long)s->row) = '\0';
    char *o = room(s, 64);
    o = PUT(o, "<row r=\"");
    o = put_text(o, s->row_text);
    o = PUT(o, "\">");
    s->len = (size_t)(o - s->buf);
}

/* `<c` of the next cell, starting the row when it is the first, with room for n more bytes
 * after it. A reference (r="B7") is optional in a sheet: a cell without one follows the cell
 * before it, so one is written only after an empty cell. NULL when the row is full. */
static char *cell_start(struct xlsx_sheet *s, size_t n)
{
    if (!s->in_row)
        start_row(s);
    if (s->column >= MAX_COLUMNS) {
        s->failed = true; /* more cells than a row of ours holds: the workbook is not made */
        return NULL;
    }
    char *o = room(s, n + 64);
    o = PUT(o, "<c");
    if (s->column != s->next_ref) {
        o = PUT(o, " r=\"");
        o = put_text(o, s->column_names[s->column]);
        o = put_text(o, s->row_text);
        *o++ = '"';
    }
    s->next_ref = ++s->column;
    return o;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void xlsx_sheet_text(struct xlsx_sheet *s, const char *text, bool bold)
{
    if (!text || !text[0]) {
        if (!s->in_row)
            start_row(s);
        s->column++;
        return;
    }
    size_t n = strlen(text);
    if (n > CELL_MAX) {
        n = CELL_MAX;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--; /* not inside a character */
    }
    char *o = cell_start(s, n * 7);
    if (!o)
        return;
    o = bold ? PUT(o, " s=\"1\" t=\"inlineStr\"><is><t") : PUT(o, " t=\"inlineStr\"><is><t");
    /* Leading or trailing white space is kept only when the text says so. */
    o = is_space(text[0]) || is_space(text[n - 1]) ? PUT(o, " xml:space=\"preserve\">")
                                                   : PUT(o, ">");
    o = put_escaped(o, text, n);
    o = PUT(o, "</t></is></c>");
    s->len = (size_t)(o - s->buf);
}

void xlsx_sheet_number(struct xlsx_sheet *s, long long n)
{
    char *o = cell_start(s, 32);
    if (!o)
        return;
    o = PUT(o, "><v>");
    o = put_number(o, n);
    o = PUT(o, "</v></c>");
    s->len = (size_t)(o - s->buf);
}

void xlsx_sheet_end_row(struct xlsx_sheet *s)
{
    if (!s->in_row)
        start_row(s); /* an empty row still counts */
    char *o = room(s, 8);
    o = PUT(o, "</row>");
    s->len = (size_t)(o - s->buf);
    s->in_row = false;
}

static void put_xml(struct xlsx_sheet *s, const char *text)
{
    size_t n = strlen(text);
    memcpy(room(s, n), text, n);
    s->len += n;
}

/* ------------------------------------------------------------------------------------------ */
/* Opening and closing */

static char *xml_text(const char *text)
{
    /* The sheet's name, for workbook.xml: our own constant, escaped all the same. */
    size_t n = strlen(text);
    char *out = malloc(n * 6 + 1), *o = out;
    if (!out)
        out_of_memory();
    for (; *text; text++) {
        const char *e = *text == '&' ? "&amp;" : *text == '<' ? "&lt;" : *text == '>' ? "&gt;"
                      : *text == '"' ? "&quot;" : NULL;
        if (e)
            o += sprintf(o, "%s", e);
        else
            *o++ = *text;
    }
    *o = '\0';
    return out;
}

struct xlsx_sheet *xlsx_sheet_open(const char *path, const char *deflated_path,
                                   const char *sheet_name, int columns, double width)
{
    if (columns < 1 || columns > MAX_COLUMNS)
        return NULL;
    int fd = open(deflated_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    struct xlsx_sheet *s = calloc(1, sizeof *s);
    char *buf = malloc(BUF_SIZE);
    unsigned char *out = malloc(OUT_SIZE);
    char(*names)[3] = calloc(MAX_COLUMNS, sizeof *names);
    if (!s || !buf || !out || !names)
        out_of_memory();
    *s = (struct xlsx_sheet){.path = path, .deflated_path = deflated_path, .fd = fd,
                             .columns = columns, .buf = buf, .out = out, .column_names = names,
                             .sheet_name = xml_text(sheet_name), .crc = crc32(0, NULL, 0)};
    zip_error_init(&s->error);
    /* Raw deflate (no zlib header), as a zip entry holds it; level 1, the fastest: the sheet
     * is the bulk of the file and deflating it most of the work. */
    if (deflateInit2(&s->z, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        out_of_memory();
    /* A to Z, then AA to ZZ. */
    for (int i = 0; i < MAX_COLUMNS; i++) {
        if (i < 26) {
            names[i][0] = (char)('A' + i);
        } else {
            names[i][0] = (char)('A' + i / 26 - 1);
            names[i][1] = (char)('A' + i % 26);
        }
    }
    char head[512];
    put_xml(s, XML_HEAD);
    snprintf(head, sizeof head,
             "<worksheet xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheetViews>"
             "<sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"1\" "
             "topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection "
             "pane=\"bottomLeft\"/></sheetView></sheetViews><sheetFormatPr "
             "defaultRowHeight=\"15\"/><cols><col min=\"1\" max=\"%d\" width=\"%.2f\" "
             "customWidth=\"1\"/></cols><sheetData>",
             columns, width);
    put_xml(s, head);
    return s;
}

void xlsx_sheet_discard(struct xlsx_sheet *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    deflateEnd(&s->z);
    zip_error_fini(&s->error);
    free(s->buf);
    free(s->out);
    free(s->column_names);
    free(s->sheet_name);
    free(s);
}

/* The sheet for libzip: the deflated file, with the method, CRC and sizes an entry needs, so
 * that zip_close copies it as it is rather than deflating it again (zip_source_function(3)). */
static zip_int64_t sheet_source(void *data, void *to, zip_uint64_t len, zip_source_cmd_t cmd)
{
    struct xlsx_sheet *s = data;
    ssize_t n;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        if (lseek(s->fd, 0, SEEK_SET) == 0)
            return 0;
        zip_error_set(&s->error, ZIP_ER_SEEK, errno);
        return -1;
    case ZIP_SOURCE_READ:
        while ((n = read(s->fd, to, len)) < 0 && errno == EINTR)
            ;
        if (n < 0)
            zip_error_set(&s->error, ZIP_ER_READ, errno);
        return n;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = to;
        zip_stat_init(st);
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
        st->size = s->size;
        st->comp_size = s->deflated_size;
        st->comp_method = ZIP_CM_DEFLATE;
        st->crc = (zip_uint32_t)s->crc;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->error, to, len);
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* Adds a part: from memory (kept until zip_close) and deflated, or the sheet as it is. */
static int add_part(zip_t *z, const char *name, const char *data, struct xlsx_sheet *sheet)
{
    zip_source_t *src = sheet ? zip_source_function(z, sheet_source, sheet)
                              : zip_source_buffer(z, data, strlen(data), 0);
    if (!src)
        return -1;
    zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(src);
        return -1;
    }
    return sheet ? 0 : zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_DEFLATE, 6);
}

static int zip_parts(struct xlsx_sheet *s, char *err, size_t err_size)
{
    int zerr = 0;
    zip_t *z = zip_open(s->path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) {
        zip_error_t e;
        zip_error_init_with_code(&e, zerr);
        snprintf(err, err_size, "zip_open: %s", zip_error_strerror(&e));
        zip_error_fini(&e);
        return -1;
    }
    char *workbook = malloc(strlen(s->sheet_name) + 512);
    if (!workbook)
        out_of_memory();
    sprintf(workbook,
            "%s<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><bookViews><workbookView/>"
            "</bookViews><sheets><sheet name=\"%s\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
            "</workbook>",
            XML_HEAD, s->sheet_name);
    int rc = add_part(z, "[Content_Types].xml", CONTENT_TYPES, NULL) ||
             add_part(z, "_rels/.rels", ROOT_RELS, NULL) ||
             add_part(z, "xl/workbook.xml", workbook, NULL) ||
             add_part(z, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS, NULL) ||
             add_part(z, "xl/styles.xml", STYLES, NULL) ||
             add_part(z, "xl/worksheets/sheet1.xml", NULL, s) || zip_close(z) != 0;
    if (rc) {
        snprintf(err, err_size, "libzip: %s", zip_strerror(z));
        zip_discard(z);
    }
    free(workbook);
    return rc ? -1 : 0;
}

int xlsx_sheet_close(struct xlsx_sheet *s, char *err, size_t err_size)
{
    if (s->in_row)
        xlsx_sheet_end_row(s);
    put_xml(s, SHEET_END);
    flush_buf(s, Z_FINISH);
    int rc = -1;
    if (s->failed)
        snprintf(err, err_size, "writing %s: %s", s->deflated_path,
                 s->column >= MAX_COLUMNS ? "a row of too many cells" : strerror(errno));
    else
        rc = zip_parts(s, err, err_size);
    xlsx_sheet_discard(s);
    return rc;
}
