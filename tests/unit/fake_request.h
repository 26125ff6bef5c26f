/* A request context without FastCGI, for testing the router and the decoders. */
#ifndef JICENG_FAKE_REQUEST_H
#define JICENG_FAKE_REQUEST_H

#include <string.h>
#include <sys/types.h>

#include "arena.h"
#include "request.h"

struct fake_body {
    const char *data;
    size_t len, pos;
};

static ssize_t fake_read(struct request *req, char *buf, size_t len)
{
    struct fake_body *body = req->io;
    size_t n = body->len - body->pos < len ? body->len - body->pos : len;
    memcpy(buf, body->data + body->pos, n);
    body->pos += n;
    return (ssize_t)n;
}

/* A request in arena a; body may be NULL. */
static struct request *fake_request(struct arena *a, const char *method, const char *path,
                                    const char *query, const char *content_type, const char *body)
{
    struct request *req = arena_zalloc(a, sizeof *req);
    struct fake_body *fb = arena_zalloc(a, sizeof *fb);
    fb->data = body ? body : "";
    fb->len = strlen(fb->data);
    req->arena = a;
    req->method = method;
    req->path = path;
    req->query = query ? query : "";
    req->content_type = content_type ? content_type : "";
    req->remote_addr = "127.0.0.1";
    req->request_id = "test-request";
    req->cookie = req->origin = req->host = req->port = req->scheme = "";
    req->fetch_site = req->user_agent = "";
    req->requested_with = "XMLHttpRequest"; /* as our own UI sends it */
    req->content_length = body ? (long long)fb->len : -1;
    req->read_body = fake_read;
    req->io = fb;
    return req;
}

#endif
