/* The route table type and the dispatcher that picks a handler for a method and path. */
#ifndef JICENG_ROUTER_H
#define JICENG_ROUTER_H

#include "request.h"

/* Who may call a route. Later issues add roles; the check lives in the dispatcher. */
enum access { ACCESS_PUBLIC };

struct route {
    const char *method;
    const char *pattern; /* segments; {name} matches one non-empty segment */
    handler_fn *handler;
    enum access access;
};

/* The application's routes, in fcgi/routes.c: the whole API on one page. */
extern const struct route routes[];
extern const int route_count;

/* Decodes the query and body, finds the route for req->method and req->path in table, and runs
 * its handler. Answers 404 for an unknown path and 405 with Allow for a known path with another
 * method. Returns the response status; the response is set in req. */
int router_dispatch(struct request *req, const struct route *table, int count);

#endif
