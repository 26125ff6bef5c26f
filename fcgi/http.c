/* Responses and request decoding: errors shaped in one place, input checked before handlers. */
#include "http.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "db.h"
#include "json_memory.h"
#include "json_out.h"
#include "log.h"
#include "utf8.h"

static const struct {
    int status;
    const char *code, *text;
} statuses[] = {
    {200, "ok", "OK"},
    {201, "created", "Created"},
    {204, "no_content", "No Content"},
    {400, "bad_request", "Bad Request"},
    {401, "unauthenticated", "Unauthorized"},
    {403, "forbidden", "Forbidden"},
    {404, "not_found", "Not Found"},
    {405, "method_not_allowed", "Method Not Allowed"},
    {409, "conflict", "Conflict"},
    {413, "body_too_large", "Payload Too Large"},
    {414, "uri_too_long", "URI Too Long"},
    {415, "unsupported_media_type", "Unsupported Media Type"},
    {422, "invalid", "Unprocessable Content"},
    {429, "too_many_requests", "Too Many Requests"},
    {500, "internal", "Internal Server Error"},
    {503, "unavailable", "Service Unavailable"},
};

const char *http_status_code(int status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].status == status)
            return statuses[i].code;
    return "error";
}

const char *http_status_text(int status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].status == status)
            return statuses[i].text;
    return "Unknown";
}

/* Arena cleanup for a json_t held in a slot of the request. */
static void release_json(void *slot)
{
    json_t **json = slot;
    json_decref(*json);
    *json = NULL;
}

int http_json(struct request *req, int status, json_t *body)
{
    if (!body)
        out_of_memory(); /* jansson constructors fail only when memory runs out */
    if (req->body)
        json_decref(req->body);
    else
        arena_cleanup(req->arena, release_json, &req->body);
    req->body = body;
    req->body_text = NULL;
    req->status = status;
    return status;
}

int http_json_text(struct request *req, int status, struct json_out *body)
{
    if (req->body) {
        json_decref(req->body);
        req->body = NULL;
    }
    req->body_text = json_out_text(body, &req->body_text_len);
    req->status = status;
    return status;
}

int http_error(struct request *req, int status, const char *code, const char *field,
               const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    json_t *error = json_pack("{s:s, s:s, s:s}", "code", code ? code : http_status_code(status),
                              "message", message, "request_id", req->request_id);
    if (field)
        json_object_set_new(error, "field", json_string(field));
    return http_json(req, status, json_pack("{s:o}", "error", error));
}

int http_db_error(struct request *req, int db_result)
{
    if (req->db)
        log_error("request %s: database: %s", req->request_id, db_error(req->db));
    switch (db_result) {
    case DB_DOWN:
        http_header(req, "Retry-After", "5");
        return http_error(req, 503, "database_unavailable", NULL,
                          "the database cannot be reached; try again shortly");
    case DB_DUPLICATE:
        return http_error(req, 409, "duplicate", NULL, "a record with this key exists already");
    case DB_CONFLICT:
        return http_error(req, 409, "conflict", NULL,
                          "another change got there first; reload and try again");
    default:
        return http_error(req, 500, "internal", NULL, "the request could not be completed");
    }
}

int http_raw(struct request *req, int status, const char *content_type, const char *data,
             size_t len)
{
    if (req->body) {
        json_decref(req->body);
        req->body = NULL;
    }
    req->body_text = NULL;
    if (http_stream_begin(req, status, content_type) == 0)
        http_stream_write(req, data, len);
    return status;
}

int http_id_page(struct request *req, struct db_stmt *st, long limit,
                 json_t *(*item)(struct db_stmt *st))
{
    int rc = db_execute(st);
    if (rc != DB_OK)
        return http_db_error(req, rc);
    json_t *items = json_array();
    long long last = 0;
    bool more = false;
    while ((rc = db_fetch(st)) == DB_ROW) {
        if ((long)json_array_size(items) == limit) {
            more = true;
            continue;
        }
        json_array_append_new(items, item(st));
        last = db_col_int(st, 0);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return http_db_error(req, rc);
    }
    return http_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                         more ? json_sprintf("%lld", last) : json_null()));
}

int http_no_content(struct request *req)
{
    if (req->body) {
        json_decref(req->body);
        req->body = NULL;
    }
    req->body_text = NULL;
    req->status = 204;
    return 204;
}

void http_header(struct request *req, const char *name, const char *value)
{
    if (req->header_count < MAX_HEADERS)
        req->headers[req->header_count++] = (struct name_value){name, value};
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes src[0..len) ('+' is a space in a query) into arena memory; NULL when an
 * escape is broken or the result is not UTF-8 or contains NUL. */
static char *url_decode(struct arena *a, const char *src, size_t len)
{
    char *out = arena_alloc(a, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == '+') {
            *o++ = ' ';
        } else if (src[i] == '%') {
            if (i + 2 >= len)
                return NULL;
            int hi = hex_value(src[i + 1]), lo = hex_value(src[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            *o++ = (char)(hi << 4 | lo);
            i += 2;
        } else {
            *o++ = src[i];
        }
    }
    *o = '\0';
    return utf8_valid(out, (size_t)(o - out)) ? out : NULL;
}

int http_parse_query(struct request *req)
{
    const char *q = req->query;
    size_t len = strlen(q);
    if (len > MAX_QUERY)
        return http_error(req, 414, NULL, NULL, "the query string is longer than %d bytes",
                          MAX_QUERY);
    int count = 0;
    for (const char *p = q; *p; p++)
        count += *p == '&';
    req->query_params = arena_alloc(req->arena, (size_t)(count + 1) * sizeof *req->query_params);
    req->query_param_count = 0;
    while (*q) {
        size_t pair = strcspn(q, "&"), name_len = strcspn(q, "=&");
        if (pair > 0) {
            struct name_value *nv = &req->query_params[req->query_param_count];
            nv->name = url_decode(req->arena, q, name_len);
            nv->value = name_len < pair
                            ? url_decode(req->arena, q + name_len + 1, pair - name_len - 1)
                            : "";
            if (!nv->name || !nv->value)
                return http_error(req, 400, "invalid_query", NULL,
                                  "the query string has a broken %%-escape or is not UTF-8");
            req->query_param_count++;
        }
        q += pair + (q[pair] == '&');
    }
    return 0;
}

const char *http_query(const struct request *req, const char *name)
{
    for (int i = 0; i < req->query_param_count; i++)
        if (strcmp(req->query_params[i].name, name) == 0)
            return req->query_params[i].value;
    return NULL;
}

int http_query_int(struct request *req, const char *name, long min, long max, long fallback,
                   long *out)
{
    const char *text = http_query(req, name);
    *out = fallback;
    if (!text)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (!*text || *end || errno || n < min || n > max)
        return http_error(req, 400, "invalid_parameter", name,
                          "%s must be a whole number from %ld to %ld", name, min, max);
    *out = n;
    return 0;
}

const char *http_path_param(const struct request *req, const char *name)
{
    for (int i = 0; i < req->path_param_count; i++)
        if (strcmp(req->path_params[i].name, name) == 0)
            return req->path_params[i].value;
    return NULL;
}

static bool is_json_type(const char *type)
{
    static const char json[] = "application/json";
    size_t n = sizeof json - 1;
    return strncasecmp(type, json, n) == 0 && (type[n] == '\0' || type[n] == ';');
}

static int read_all(struct request *req, char *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n = req->read_body(req, buf + got, want - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

int http_read_json_body(struct request *req)
{
    req->json = NULL;
    if (req->content_length <= 0)
        return 0;
    if (req->content_length > MAX_BODY)
        return http_error(req, 413, NULL, NULL, "the request body is larger than %d bytes",
                          MAX_BODY);
    if (!is_json_type(req->content_type))
        return http_error(req, 415, NULL, NULL,
                          "send the request body as application/json, not \"%.100s\"",
                          req->content_type);
    size_t len = (size_t)req->content_length;
    char *buf = arena_alloc(req->arena, len);
    if (read_all(req, buf, len) != 0)
        return http_error(req, 400, "incomplete_body", NULL,
                          "the request body ended before Content-Length bytes");
    json_error_t error;
    req->json = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &error);
    if (!req->json) {
        bool utf8 = json_error_code(&error) == json_error_invalid_utf8;
        return http_error(req, 400, utf8 ? "invalid_utf8" : "invalid_json", NULL,
                          "%s at line %d, column %d (byte %d)",
                          utf8 ? "the body is not valid UTF-8" : error.text, error.line,
                          error.column, error.position);
    }
    arena_cleanup(req->arena, release_json, &req->json);
    return 0;
}

int http_read_upload(struct request *req, long long limit, char **data, size_t *len)
{
    if (req->content_length > limit)
        return http_error(req, 413, NULL, NULL, "the file is larger than %lld bytes (%lld MiB)",
                          limit, limit / (1024 * 1024));
    if (req->content_length <= 0)
        return http_error(req, 400, "empty_body", NULL,
                          "send the file as the request body, with its Content-Length");
    *len = (size_t)req->content_length;
    *data = arena_alloc(req->arena, *len + 1);
    if (read_all(req, *data, *len) != 0)
        return http_error(req, 400, "incomplete_body", NULL,
                          "the request body ended before Content-Length bytes");
    (*data)[*len] = '\0';
    return 0;
}

/* The status line and headers, without the blank line after them; content_type may be NULL. */
static char *render_head(struct request *req, const char *content_type)
{
    char *head = arena_printf(req->arena,
                              "Status: %d %s\r\n"
                              "%s%s%s"
                              "Cache-Control: no-store\r\n"
                              "X-Request-Id: %s\r\n",
                              req->status, http_status_text(req->status),
                              content_type ? "Content-Type: " : "",
                              content_type ? content_type : "", content_type ? "\r\n" : "",
                              req->request_id);
    for (int i = 0; i < req->header_count; i++)
        head = arena_printf(req->arena, "%s%s: %s\r\n", head, req->headers[i].name,
                            req->headers[i].value);
    return head;
}

int http_stream_begin(struct request *req, int status, const char *content_type)
{
    req->status = status;
    req->streamed = true;
    const char *head = arena_printf(req->arena, "%s\r\n", render_head(req, content_type));
    return http_stream_write(req, head, strlen(head));
}

int http_stream_write(struct request *req, const char *data, size_t len)
{
    return req->write ? req->write(req, data, len) : -1;
}

int http_stream_flush(struct request *req)
{
    return req->flush ? req->flush(req) : 0;
}

char *http_render(struct request *req, size_t *len)
{
    /* 15 significant digits: a rate of 0.333 goes out as 0.333, not as the 17 digits of the
     * nearest double (0.33300000000000002). */
    char *dumped = req->body ? json_dumps(req->body, JSON_COMPACT | JSON_ESCAPE_SLASH |
                                                         JSON_REAL_PRECISION(15))
                             : NULL;
    if (req->body && !dumped)
        out_of_memory();
    const char *json = dumped ? dumped : req->body_text;
    char *head = render_head(req, json ? "application/json; charset=utf-8" : NULL);
    /* Copied, not formatted: a page of a list is tens of kilobytes. */
    size_t head_len = strlen(head);
    size_t json_len = dumped ? strlen(dumped) : json ? req->body_text_len : 0;
    char *out = arena_alloc(req->arena, head_len + 2 + json_len + 2), *at = out;
    memcpy(at, head, head_len);
    at += head_len;
    memcpy(at, "\r\n", 2);
    at += 2;
    if (json) {
        memcpy(at, json, json_len);
        at += json_len;
        *at++ = '\n';
    }
    *at = '\0';
    json_memory_free(dumped);
    *len = (size_t)(at - out);
    return out;
}
