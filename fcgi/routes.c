/* The whole API on one page: method, path, handler and who may call it. Keep it in step with
 * fcgi/openapi.json; a test compares the two. */
#include "router.h"

#include "handlers.h"

const struct route routes[] = {
    {"GET", "/api/v1/health", health_get, ACCESS_PUBLIC},
    {"GET", "/api/v1/regions/{code}", region_get, ACCESS_PUBLIC},
    {"GET", "/api/v1/regions/{code}/children", region_children, ACCESS_PUBLIC},
};

const int route_count = sizeof routes / sizeof routes[0];
