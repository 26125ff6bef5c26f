/* Every request handler, one group per resource file. */
#ifndef JICENG_HANDLERS_H
#define JICENG_HANDLERS_H

#include "request.h"

/* fcgi/health.c */
handler_fn health_get;

/* fcgi/regions.c */
handler_fn region_get;
handler_fn region_children;

#endif
