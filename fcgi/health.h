/* The health monitor: checks the database and the directory once a second in the background,
 * so GET /api/v1/health answers from memory without a round trip per request. */
#ifndef JICENG_HEALTH_H
#define JICENG_HEALTH_H

struct config;

/* Runs a first check, then keeps checking in a thread of its own. Returns 0 or -1. */
int health_start(const struct config *cfg);

/* Stops the thread and frees its connection. */
void health_stop(void);

#endif
