/* The LDAP directory: connections to the configured servers. */
#ifndef JICENG_DIRECTORY_H
#define JICENG_DIRECTORY_H

#include <stddef.h>

struct config;

/* Asks the first server that answers for its root DSE, within the configured timeout. Returns 0
 * when one answered, or -1 with the reason in err. Opens and closes its own connection. */
int directory_ping(const struct config *cfg, char *err, size_t errlen);

#endif
