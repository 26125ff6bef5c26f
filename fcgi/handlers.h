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

/* fcgi/imports.c */
handler_fn import_cadres_post;
handler_fn import_cadres_template_get;
handler_fn import_organisations_post;
handler_fn import_organisations_template_get;

#endif
