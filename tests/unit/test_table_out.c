/* CSV tables: the BOM, quoting, the apostrophe in front of formula-looking cells, the response
 * head, and the Content-Disposition of a Chinese file name. */
#include <stdlib.h>

#include "check.h"
#include "fake_request.h"
#include "http.h"
#include "table_out.h"

/* What the table wrote, collected in the request's io. */
struct sink {
    char data[4096];
    size_t len;
};

static int collect(struct request *req, const char *data, size_t len)
{
    struct sink *s = req->io;
    if (s->len + len >= sizeof s->data)
        return -1;
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    return 0;
}

static const char *header(struct request *req, const char *name)
{
    for (int i = 0; i < req->header_count; i++)
        if (strcmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

int main(void)
{
    struct arena *a = arena_new();
    struct request *req = fake_request(a, "GET", "/x", NULL, NULL, NULL);
    struct sink sink = {0};
    req->io = &sink;
    req->write = collect;

    static const char *const titles[] = {"姓名", "备注"};
    struct table_out *t = table_open(req, TABLE_CSV, "表", "干部名册-21", "roster-21", titles, 2);
    CHECK(t != NULL);
    CHECK(!table_started(t));
    CHECK_STR(header(req, "Content-Disposition"),
              "attachment; filename=\"roster-21.csv\"; "
              "filename*=UTF-8''%E5%B9%B2%E9%83%A8%E5%90%8D%E5%86%8C-21.csv");
    const char *cells[][2] = {
        {"=cmd|' /C calc'!A0", "+1"}, {"-2", "@SUM(A1)"}, {"\t=1", "\r=2"},
        {"a\"b,c", "line\r\nbreak"}, {"王芳", NULL}, {"1-2", "a=b"},
    };
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        table_text(t, cells[i][0]);
        table_text(t, cells[i][1]);
        CHECK_INT(table_end_row(t), 0);
    }
    table_number(t, -5); /* numbers are cells like any other */
    table_number(t, 42);
    CHECK_INT(table_end_row(t), 0);
    CHECK_INT(sink.len, 0); /* nothing sent before the buffer fills or the table ends */
    CHECK_INT(table_finish(t), 0);
    CHECK(table_started(t));
    CHECK_INT(req->status, 200);

    const char *body = strstr(sink.data, "\r\n\r\n");
    CHECK(body != NULL);
    CHECK(strncmp(sink.data, "Status: 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n", 54) == 0);
    CHECK_STR(body ? body + 4 : NULL,
              "\xEF\xBB\xBF\"姓名\",\"备注\"\r\n"
              "\"'=cmd|' /C calc'!A0\",\"'+1\"\r\n"
              "\"'-2\",\"'@SUM(A1)\"\r\n"
              "\"'\t=1\",\"'\r=2\"\r\n"
              "\"a\"\"b,c\",\"line\r\nbreak\"\r\n"
              "\"王芳\",\"\"\r\n"
              "\"1-2\",\"a=b\"\r\n"
              "\"'-5\",\"42\"\r\n");

    /* A client that went away: the next flush fails, and so does every row after it. */
    arena_reset(a);
    req = fake_request(a, "GET", "/x", NULL, NULL, NULL);
    req->io = &sink;
    req->write = collect;
    sink.len = sizeof sink.data; /* full: collect refuses */
    t = table_open(req, TABLE_CSV, "表", "x", "x", titles, 2);
    CHECK_INT(table_finish(t), -1);

    /* The format parameter. */
    arena_reset(a);
    enum table_format format;
    req = fake_request(a, "GET", "/x", "format=xlsx", NULL, NULL);
    CHECK_INT(http_parse_query(req), 0);
    CHECK_INT(table_format_read(req, &format), 0);
    CHECK_INT(format, TABLE_XLSX);
    req = fake_request(a, "GET", "/x", "format=xls", NULL, NULL);
    CHECK_INT(http_parse_query(req), 0);
    CHECK_INT(table_format_read(req, &format), 400);
    req = fake_request(a, "GET", "/x", "", NULL, NULL);
    CHECK_INT(http_parse_query(req), 0);
    CHECK_INT(table_format_read(req, &format), 0);
    CHECK_INT(format, TABLE_CSV);

    arena_free(a);
    return check_report();
}
