/* Matching a request against the route table, and the checks every request passes first. */
#include "router.h"

#include <string.h>

#include "arena.h"
#include "guard.h"
#include "http.h"
#include "utf8.h"

/* Matches path against pattern segment by segment, collecting {name} values into req. */
static bool match(struct request *req, const char *pattern, const char *path)
{
    req->path_param_count = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return false;
        pattern++, path++;
        size_t plen = strcspn(pattern, "/"), len = strcspn(path, "/");
        if (pattern[0] == '{') {
            if (len == 0 || req->path_param_count == MAX_PATH_PARAMS)
                return false;
            struct name_value *p = &req->path_params[req->path_param_count++];
            p->name = arena_strndup(req->arena, pattern + 1, plen - 2);
            p->value = arena_strndup(req->arena, path, len);
        } else if (plen != len || memcmp(pattern, path, len) != 0) {
            return false;
        }
        pattern += plen, path += len;
    }
    return *pattern == '\0' && *path == '\0';
}

/* The methods allowed on a path, for the Allow header of a 405; "" when the path is unknown. */
static const char *allowed_methods(struct request *req, const struct route *table, int count)
{
    char *allow = "";
    for (int i = 0; i < count; i++)
        if (match(req, table[i].pattern, req->path))
            allow = arena_printf(req->arena, "%s%s%s", allow, allow[0] ? ", " : "",
                                 table[i].method);
    return allow;
}

int router_dispatch(struct request *req, const struct route *table, int count)
{
    /* Refuse an oversized body before reading a byte of it, whatever the route. */
    if (req->content_length > MAX_BODY)
        return http_error(req, 413, NULL, NULL, "the request body is larger than %d bytes",
                          MAX_BODY);
    if (!utf8_valid(req->path, strlen(req->path)))
        return http_error(req, 400, "invalid_utf8", NULL, "the path is not valid UTF-8");
    const struct route *route = NULL;
    for (int i = 0; i < count && !route; i++)
        if (strcmp(table[i].method, req->method) == 0 && match(req, table[i].pattern, req->path))
            route = &table[i];
    if (!route) {
        const char *allow = allowed_methods(req, table, count);
        if (!allow[0])
            return http_error(req, 404, NULL, NULL, "no such resource: %.200s", req->path);
        http_header(req, "Allow", allow);
        return http_error(req, 405, NULL, NULL, "%s is not allowed here; use %s", req->method,
                          allow);
    }
    /* Who is asking comes before what they ask: nothing of a refused request is decoded. */
    int status = guard_csrf(req);
    if (status == 0)
        status = guard_session(req, route->access);
    if (status == 0)
        status = http_parse_query(req);
    if (status == 0)
        status = http_read_json_body(req);
    if (status != 0)
        return status;
    return route->handler(req);
}
