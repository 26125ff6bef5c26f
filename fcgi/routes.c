/* The whole API on one page: method, path, handler and who may call it. Keep it in step with
 * fcgi/openapi.json; a test compares the two. */
#include "router.h"

#include "handlers.h"

const struct route routes[] = {
    {"GET", "/api/v1/health", health_get, ACCESS_PUBLIC},
    {"POST", "/api/v1/session", session_post, ACCESS_PUBLIC},
    {"DELETE", "/api/v1/session", session_delete, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/me", me_get, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/auth/check", auth_check, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/sessions", sessions_list, ACCESS_ADMIN},
    {"DELETE", "/api/v1/sessions/{id}", session_revoke, ACCESS_ADMIN},
    {"GET", "/api/v1/audit", audit_list, ACCESS_ADMIN},
    {"GET", "/api/v1/regions/{code}", region_get, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/regions/{code}/children", region_children, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/organisations", organisations_list, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/organisations", organisation_create, ACCESS_CLERK},
    {"GET", "/api/v1/organisations/{id}", organisation_get, ACCESS_SIGNED_IN},
    {"PATCH", "/api/v1/organisations/{id}", organisation_update, ACCESS_CLERK},
    {"POST", "/api/v1/cadres", cadre_create, ACCESS_CLERK},
    {"GET", "/api/v1/cadres/{id}", cadre_get, ACCESS_SIGNED_IN},
    {"PATCH", "/api/v1/cadres/{id}", cadre_update, ACCESS_CLERK},
    {"POST", "/api/v1/cadres/{id}/positions", position_create, ACCESS_CLERK},
    {"POST", "/api/v1/cadres/{id}/training", training_create, ACCESS_CLERK},
    {"POST", "/api/v1/positions/{id}/end", position_end, ACCESS_CLERK},
    {"GET", "/api/v1/roster", roster_list, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/imports/cadres", import_cadres_post, ACCESS_CLERK},
    {"GET", "/api/v1/imports/cadres/template", import_cadres_template_get, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/imports/organisations", import_organisations_post, ACCESS_CLERK},
    {"GET", "/api/v1/imports/organisations/template", import_organisations_template_get,
     ACCESS_SIGNED_IN},
};

const int route_count = sizeof routes / sizeof routes[0];

const struct upload_route upload_routes[] = {
    {"POST", "/api/v1/imports/cadres"},
    {"POST", "/api/v1/imports/organisations"},
};

const int upload_route_count = sizeof upload_routes / sizeof upload_routes[0];
