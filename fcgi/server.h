/* `jiceng serve`: the FastCGI listener and its worker threads. */
#ifndef JICENG_SERVER_H
#define JICENG_SERVER_H

struct config;

/* Serves until SIGTERM or SIGINT, then lets the requests in flight finish and returns 0; returns
 * 1 when it cannot start, having said why on standard error. */
int server_run(const struct config *cfg);

#endif
