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
    /* The literal paths before /new-organisations/{id}: the first match wins. */
    {"GET", "/api/v1/new-organisations/worklist", new_org_worklist, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/new-organisations/statistics", new_org_statistics, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/new-organisations", new_orgs_list, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/new-organisations", new_org_create, ACCESS_CLERK},
    {"GET", "/api/v1/new-organisations/{id}", new_org_get, ACCESS_SIGNED_IN},
    {"PATCH", "/api/v1/new-organisations/{id}", new_org_update, ACCESS_CLERK},
    {"POST", "/api/v1/new-organisations/{id}/coverage", new_org_cover, ACCESS_CLERK},
    {"GET", "/api/v1/new-org-links/due", new_org_links_due, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/new-org-links", new_org_link_create, ACCESS_CLERK},
    {"GET", "/api/v1/new-org-links/{id}", new_org_link_get, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/new-org-links/{id}/end", new_org_link_end, ACCESS_CLERK},
    {"POST", "/api/v1/new-org-links/{id}/visits", new_org_visit_create, ACCESS_CLERK},
};

const int route_count = sizeof routes / sizeof routes[0];
