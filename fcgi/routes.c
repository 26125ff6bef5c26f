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
    /* Before {id}, which would take "export" for an id. */
    {"GET", "/api/v1/organisations/export", organisations_export, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/organisations/{id}", organisation_get, ACCESS_SIGNED_IN},
    {"PATCH", "/api/v1/organisations/{id}", organisation_update, ACCESS_CLERK},
    {"POST", "/api/v1/cadres", cadre_create, ACCESS_CLERK},
    {"GET", "/api/v1/cadres/{id}", cadre_get, ACCESS_SIGNED_IN},
    {"PATCH", "/api/v1/cadres/{id}", cadre_update, ACCESS_CLERK},
    {"POST", "/api/v1/cadres/{id}/positions", position_create, ACCESS_CLERK},
    {"POST", "/api/v1/cadres/{id}/training", training_create, ACCESS_CLERK},
    {"POST", "/api/v1/positions/{id}/end", position_end, ACCESS_CLERK},
    {"GET", "/api/v1/roster", roster_list, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/roster/export", roster_export, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/statistics/{code}", statistics_get, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/statistics/{code}/report", statistics_report, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/imports/cadres", import_cadres_post, ACCESS_CLERK},
    {"GET", "/api/v1/imports/cadres/template", import_cadres_template_get, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/imports/organisations", import_organisations_post, ACCESS_CLERK},
    {"GET", "/api/v1/imports/organisations/template", import_organisations_template_get,
     ACCESS_SIGNED_IN},
    {"POST", "/api/v1/imports/new-organisations", import_new_orgs_post, ACCESS_CLERK},
    {"GET", "/api/v1/imports/new-organisations/template", import_new_orgs_template_get,
     ACCESS_SIGNED_IN},
    {"GET", "/api/v1/workflow/chains", workflow_chains, ACCESS_SIGNED_IN},
    {"PUT", "/api/v1/workflow/chains", workflow_chain_set, ACCESS_ADMIN},
    {"GET", "/api/v1/requests", workflow_requests_list, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/requests/{id}", workflow_request_get, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/requests/{id}/submit", workflow_submit, ACCESS_CLERK},
    {"POST", "/api/v1/requests/{id}/withdraw", workflow_withdraw, ACCESS_CLERK},
    /* The step's role decides who may; the engine checks it against the chain. */
    {"POST", "/api/v1/requests/{id}/decisions", workflow_decide, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/requests/{id}/transfer", workflow_transfer, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/requests/{id}/comments", workflow_comment, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/requests/{id}/copies", workflow_copy, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/requests/{id}/urge", workflow_urge, ACCESS_CLERK},
    {"GET", "/api/v1/inbox", inbox_list, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/inbox/approve", inbox_approve, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/reelections", reelections_list, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/reelections", reelection_create, ACCESS_CLERK},
    {"GET", "/api/v1/reelections/{id}", reelection_get, ACCESS_SIGNED_IN},
    {"PATCH", "/api/v1/reelections/{id}", reelection_update, ACCESS_CLERK},
    {"PUT", "/api/v1/reelections/{id}/result", reelection_record_result, ACCESS_CLERK},
    {"GET", "/api/v1/oversight/reelections", oversight_reelections, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/oversight/reelections/export", oversight_reelections_export,
     ACCESS_SIGNED_IN},
    /* The literal paths before /new-organisations/{id}: the first match wins. */
    {"GET", "/api/v1/new-organisations/worklist", new_org_worklist, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/new-organisations/statistics", new_org_statistics, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/new-organisations/statistics/report", new_org_statistics_report,
     ACCESS_SIGNED_IN},
    {"GET", "/api/v1/new-organisations/export", new_orgs_export, ACCESS_SIGNED_IN},
    {"GET", "/api/v1/new-organisations", new_orgs_list, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/new-organisations", new_org_create, ACCESS_CLERK},
    {"GET", "/api/v1/new-organisations/{id}", new_org_get, ACCESS_SIGNED_IN},
    {"PATCH", "/api/v1/new-organisations/{id}", new_org_update, ACCESS_CLERK},
    {"POST", "/api/v1/new-organisations/{id}/coverage", new_org_cover, ACCESS_CLERK},
    {"PATCH", "/api/v1/new-organisations/{id}/coverage", new_org_coverage_update, ACCESS_CLERK},
    {"GET", "/api/v1/new-org-links/due", new_org_links_due, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/new-org-links", new_org_link_create, ACCESS_CLERK},
    {"GET", "/api/v1/new-org-links/{id}", new_org_link_get, ACCESS_SIGNED_IN},
    {"POST", "/api/v1/new-org-links/{id}/end", new_org_link_end, ACCESS_CLERK},
    {"POST", "/api/v1/new-org-links/{id}/visits", new_org_visit_create, ACCESS_CLERK},
};

const int route_count = sizeof routes / sizeof routes[0];

const struct upload_route upload_routes[] = {
    {"POST", "/api/v1/imports/cadres"},
    {"POST", "/api/v1/imports/organisations"},
    {"POST", "/api/v1/imports/new-organisations"},
};

const int upload_route_count = sizeof upload_routes / sizeof upload_routes[0];
