/* The route table type and the dispatcher that picks a handler for a method and path. */
#ifndef JICENG_ROUTER_H
#define JICENG_ROUTER_H

#include <stdbool.h>

#include "request.h"

/* Who may call a route; the dispatcher checks it before the handler runs (fcgi/guard.c).
 * SIGNED_IN is any role: every role reads its jurisdiction. */
enum access { ACCESS_PUBLIC, ACCESS_SIGNED_IN, ACCESS_CLERK, ACCESS_APPROVER, ACCESS_ADMIN };

struct route {
    const char *method;
    const char *pattern; /* segments; {name} matches one non-empty segment */
    handler_fn *handler;
    enum access access;
};

/* Routes whose body is a file: not decoded as JSON but read by the handler (http_read_upload),
 * and up to [import] max_file_mib instead of MAX_BODY. Method and pattern as in routes. */
struct upload_route {
    const char *method, *pattern;
};

/* The application's routes, in fcgi/routes.c: the whole API on one page. */
extern const struct route routes[];
extern const int route_count;
extern const struct upload_route upload_routes[];
extern const int upload_route_count;

/* The largest upload body an upload route takes, in bytes ([import] max_file_mib; its default
 * when cfg is NULL). */
long long router_upload_limit(const struct config *cfg);

/* Finds the route for req->method and req->path in table, passes the guards (CSRF, session,
 * role), decodes the query and body, and runs the route's handler. Answers 404 for an unknown
 * path and 405 with Allow for a known path with another method. Returns the response status;
 * the response is set in req. */
int router_dispatch(struct request *req, const struct route *table, int count);

#endif
