/* The route table type and the dispatcher that picks a handler for a method and path. */
#ifndef JICENG_ROUTER_H
#define JICENG_ROUTER_H

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

/* The application's routes, in fcgi/routes.c: the whole API on one page. */
extern const struct route routes[];
extern const int route_count;

/* Finds the route for req->method and req->path in table, passes the guards (CSRF, session,
 * role), decodes the query and body, and runs the route's handler. Answers 404 for an unknown
 * path and 405 with Allow for a known path with another method. Returns the response status;
 * the response is set in req. */
int router_dispatch(struct request *req, const struct route *table, int count);

#endif
