/* Every request handler, one group per resource file. */
#ifndef JICENG_HANDLERS_H
#define JICENG_HANDLERS_H

#include "request.h"

/* fcgi/health.c */
handler_fn health_get;

/* fcgi/regions.c */
handler_fn region_get;
handler_fn region_children;

/* fcgi/sessions.c */
handler_fn session_post;
handler_fn session_delete;
handler_fn me_get;
handler_fn auth_check;

/* fcgi/organisations.c */
handler_fn organisations_list;
handler_fn organisation_get;
handler_fn organisation_create;
handler_fn organisation_update;

/* fcgi/session_admin.c */
handler_fn sessions_list;
handler_fn session_revoke;

/* fcgi/audit_log.c */
handler_fn audit_list;

/* fcgi/cadres.c, positions.c, training.c, roster.c */
handler_fn cadre_create;
handler_fn cadre_get;
handler_fn cadre_update;
handler_fn position_create;
handler_fn position_end;
handler_fn training_create;
handler_fn roster_list;

/* fcgi/statistics.c, statistics_report.c */
handler_fn statistics_get;
handler_fn statistics_report;

/* fcgi/export.c */
handler_fn roster_export;
handler_fn organisations_export;

/* fcgi/imports.c */
handler_fn import_cadres_post;
handler_fn import_cadres_template_get;
handler_fn import_organisations_post;
handler_fn import_organisations_template_get;
handler_fn import_new_orgs_post;
handler_fn import_new_orgs_template_get;

/* fcgi/workflow.c, workflow_decision.c, workflow_chains.c, workflow_inbox.c, workflow_ops.c */
handler_fn workflow_request_get;
handler_fn workflow_submit;
handler_fn workflow_decide;
handler_fn workflow_withdraw;
handler_fn workflow_comment;
handler_fn workflow_copy;
handler_fn workflow_urge;
handler_fn workflow_transfer;
handler_fn workflow_requests_list;
handler_fn workflow_chains;
handler_fn workflow_chain_set;
handler_fn inbox_list;
handler_fn inbox_approve;

/* fcgi/reelection.c, reelection_result.c, reelection_list.c */
handler_fn reelections_list;
handler_fn reelection_create;
handler_fn reelection_get;
handler_fn reelection_update;
handler_fn reelection_record_result;

/* fcgi/oversight.c */
handler_fn oversight_reelections;
handler_fn oversight_reelections_export;

/* fcgi/new_orgs.c, new_org_coverage.c, new_org_links.c, new_org_stats.c, new_org_files.c */
handler_fn new_org_create;
handler_fn new_org_get;
handler_fn new_org_update;
handler_fn new_orgs_list;
handler_fn new_org_worklist;
handler_fn new_org_cover;
handler_fn new_org_coverage_update;
handler_fn new_org_statistics;
handler_fn new_orgs_export;
handler_fn new_org_statistics_report;
handler_fn new_org_link_create;
handler_fn new_org_link_get;
handler_fn new_org_link_end;
handler_fn new_org_visit_create;
handler_fn new_org_links_due;

#endif
