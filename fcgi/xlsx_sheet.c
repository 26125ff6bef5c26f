/* A one-sheet workbook written row by row; see xlsx_sheet.h for why it is not libxlsxwriter. */
#include "xlsx_sheet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "arena.h"

/* The XML is written in pieces of this size: few system calls, little memory. */
/* A cell holds at most 32,767 characters in Excel; CELL_MAX bytes escaped fit the buffer. */
enum { BUF_SIZE = 256 * 1024, CELL_MAX = 32 * 1024, MAX_COLUMNS = 702 /* A to ZZ */ };

struct xlsx_sheet {
    const char *path, *xml_path;
    char *sheet_name;
    int fd, columns, column; /* columns: of the <cols> width; column: the next cell's */
    bool failed, in_row;
    unsigned long row; /* 1-based, as in the sheet */
    char row_text[24]; /* row's digits, for the cells' references */
    char (*column_names)[3]; /* "A" to "ZZ" */
    char *buf;
    size_t len;
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
/* The worksheet's XML */

static void flush_buf(struct xlsx_sheet *s)
{
    const char *p = s->buf;
    while (!s->failed && s->len > 0) {
        ssize_t n = write(s->fd, p, s->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            s->failed = true;
        else
            p += n, s->len -= (size_t)n;
    }
    s->len = 0;
}

/* Room for n more bytes in the buffer (n <= BUF_SIZE). */
static char *room(struct xlsx_sheet *s, size_t n)
{
    if (s->len + n > BUF_SIZE)
        flush_buf(s);
    return s->buf + s->len;
}

static void put(struct xlsx_sheet *s, const char *text, size_t n)
{
    while (n > 0) {
        size_t piece = n < BUF_SIZE ? n : BUF_SIZE;
        memcpy(room(s, piece), text, piece);
        s->len += piece;
        text += piece, n -= piece;
    }
}

static void puts_xml(struct xlsx_sheet *s, const char *text)
{
    put(s, text, strlen(text));
}

/* Appends text as XML character data: & < > escaped, and the control characters XML 1.0 has
 * no room for written as Excel writes them, _xHHHH_. At most CELL_MAX bytes of text. */
static void put_escaped(struct xlsx_sheet *s, const char *text, size_t n)
{
    if (n > CELL_MAX) {
        n = CELL_MAX;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--; /* not inside a character */
    }
    char *o = room(s, n * 7), *start = o;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c != '&' && c != '<' && c != '>') {
            *o++ = (char)c;
        } else if (c == '&') {
            memcpy(o, "&amp;", 5), o += 5;
        } else if (c == '<') {
            memcpy(o, "&lt;", 4), o += 4;
        } else if (c == '>') {
            memcpy(o, "&gt;", 4), o += 4;
        } else if (c == '\t' || c == '\n' || c == '\r') {
            *o++ = (char)c;
        } else {
            o += snprintf(o, 8, "_x%04X_", c);
        }
    }
    s->len += (size_t)(o - start);
}

static void start_row(struct xlsx_sheet *s)
{
    s->in_row = true;
    s->row++;
    s->column = 0;
    snprintf(s->row_text, sizeof s->row_text, "%lu", s->row);
    puts_xml(s, "<row r=\"");
    puts_xml(s, s->row_text);
    puts_xml(s, "\">");
}

/* `<c r="B7"` of the next cell, starting the row when it is the first. */
static void cell_start(struct xlsx_sheet *s)
{
    if (!s->in_row)
        start_row(s);
    if (s->column >= MAX_COLUMNS) {
        s->failed = true; /* more cells than a row of ours holds: the workbook is not made */
        return;
    }
    puts_xml(s, "<c r=\"");
    puts_xml(s, s->column_names[s->column]);
    puts_xml(s, s->row_text);
    put(s, "\"", 1);
    s->column++;
}

void xlsx_sheet_text(struct xlsx_sheet *s, const char *text, bool bold)
{
    if (!text || !text[0]) {
        if (!s->in_row)
            start_row(s);
        s->column++;
        return;
    }
    cell_start(s);
    size_t n = strlen(text);
    /* Leading or trailing white space is kept only when the text says so. */
    bool keep_space = strchr(" \t\r\n", text[0]) || strchr(" \t\r\n", text[n - 1]);
    puts_xml(s, bold ? " s=\"1\" t=\"inlineStr\"><is><t" : " t=\"inlineStr\"><is><t");
    puts_xml(s, keep_space ? " xml:space=\"preserve\">" : ">");
    put_escaped(s, text, n);
    puts_xml(s, "</t></is></c>");
}

void xlsx_sheet_number(struct xlsx_sheet *s, long long n)
{
    char digits[24];
    cell_start(s);
    puts_xml(s, "><v>");
    put(s, digits, (size_t)snprintf(digits, sizeof digits, "%lld", n));
    puts_xml(s, "</v></c>");
}

void xlsx_sheet_end_row(struct xlsx_sheet *s)
{
    if (!s->in_row)
        start_row(s); /* an empty row still counts */
    puts_xml(s, "</row>");
    s->in_row = false;
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

struct xlsx_sheet *xlsx_sheet_open(const char *path, const char *xml_path, const char *sheet_name,
                                   int columns, double width)
{
    if (columns < 1 || columns > MAX_COLUMNS)
        return NULL;
    int fd = open(xml_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    struct xlsx_sheet *s = calloc(1, sizeof *s);
    char *buf = malloc(BUF_SIZE);
    char(*names)[3] = calloc(MAX_COLUMNS, sizeof *names);
    if (!s || !buf || !names)
        out_of_memory();
    *s = (struct xlsx_sheet){.path = path, .xml_path = xml_path, .fd = fd, .columns = columns,
                             .buf = buf, .column_names = names,
                             .sheet_name = xml_text(sheet_name)};
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
    puts_xml(s, XML_HEAD);
    snprintf(head, sizeof head,
             "<worksheet xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheetViews>"
             "<sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"1\" "
             "topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection "
             "pane=\"bottomLeft\"/></sheetView></sheetViews><sheetFormatPr "
             "defaultRowHeight=\"15\"/><cols><col min=\"1\" max=\"%d\" width=\"%.2f\" "
             "customWidth=\"1\"/></cols><sheetData>",
             columns, width);
    puts_xml(s, head);
    return s;
}

void xlsx_sheet_discard(struct xlsx_sheet *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->buf);
    free(s->column_names);
    free(s->sheet_name);
    free(s);
}

/* Adds a part from memory (kept until zip_close) or, when file is set, from that file. */
static int add_part(zip_t *z, const char *name, const char *data, const char *file, int level)
{
    zip_source_t *src = file ? zip_source_file(z, file, 0, -1)
                             : zip_source_buffer(z, data, strlen(data), 0);
    if (!src)
        return -1;
    zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(src);
        return -1;
    }
    return zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_DEFLATE, (zip_uint32_t)level);
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
    /* Level 1 for the sheet, the bulk of the file: deflating it is most of the work. */
    int rc = add_part(z, "[Content_Types].xml", CONTENT_TYPES, NULL, 6) ||
             add_part(z, "_rels/.rels", ROOT_RELS, NULL, 6) ||
             add_part(z, "xl/workbook.xml", workbook, NULL, 6) ||
             add_part(z, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS, NULL, 6) ||
             add_part(z, "xl/styles.xml", STYLES, NULL, 6) ||
             add_part(z, "xl/worksheets/sheet1.xml", NULL, s->xml_path, 1) ||
             zip_close(z) != 0;
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
    puts_xml(s, SHEET_END);
    flush_buf(s);
    int rc = -1;
    if (close(s->fd) != 0 || s->failed)
        snprintf(err, err_size, "writing %s: %s", s->xml_path,
                 s->column >= MAX_COLUMNS ? "a row of too many cells" : strerror(errno));
    else
        rc = zip_parts(s, err, err_size);
    s->fd = -1;
    xlsx_sheet_discard(s);
    return rc;
}
