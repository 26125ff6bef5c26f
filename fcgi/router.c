/* Matching a request against the route table, and the checks every request passes first. */
#include "router.h"

#include <string.h>

#include "arena.h"
#include "config.h"
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

long long router_upload_limit(const struct config *cfg)
{
    return (long long)(cfg ? cfg->import_max_mib : IMPORT_MAX_MIB_DEFAULT) * 1024 * 1024;
}

static bool is_upload(const struct route *route)
{
    for (int i = 0; route && i < upload_route_count; i++)
        if (strcmp(upload_routes[i].method, route->method) == 0 &&
            strcmp(upload_routes[i].pattern, route->pattern) == 0)
            return true;
    return false;
}

/* A body over the limit of its route (MAX_BODY when there is none) is refused before a byte of
 * it is read. */
static int body_too_large(struct request *req, const struct route *route)
{
    long long upload = router_upload_limit(req->cfg);
    if (is_upload(route)) {
        if (req->content_length <= upload)
            return 0;
        return http_error(req, 413, NULL, NULL,
                          "the file is larger than %lld MiB, the limit for imports",
                          upload / (1024 * 1024));
    }
    if (req->content_length <= MAX_BODY)
        return 0;
    return http_error(req, 413, NULL, NULL, "the request body is larger than %d bytes", MAX_BODY);
}

int router_dispatch(struct request *req, const struct route *table, int count)
{
    if (!utf8_valid(req->path, strlen(req->path)))
        return http_error(req, 400, "invalid_utf8", NULL, "the path is not valid UTF-8");
    const struct route *route = NULL;
    for (int i = 0; i < count && !route; i++)
        if (strcmp(table[i].method, req->method) == 0 && match(req, table[i].pattern, req->path))
            route = &table[i];
    /* Refuse an oversized body before reading a byte of it, whatever the route. */
    if (body_too_large(req, route) != 0)
        return req->status;
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
    if (status == 0 && !is_upload(route))
        status = http_read_json_body(req);
    if (status != 0)
        return status;
    return route->handler(req);
}
