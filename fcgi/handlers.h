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

/* fcgi/session_admin.c */
handler_fn sessions_list;
handler_fn session_revoke;

/* fcgi/audit_log.c */
handler_fn audit_list;

#endif
