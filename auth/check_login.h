/* `jiceng check-login`: tries a login against the configured directory and shows what Jiceng
 * would make of the user, for operators setting up [directory] and [roles], and for tests. */
#ifndef JICENG_CHECK_LOGIN_H
#define JICENG_CHECK_LOGIN_H

#include <stdbool.h>
#include <stdio.h>

struct config;

/* Checks the settings, then logs username in with each line of in as the password (one line
 * normally; more lines are more attempts on the same connections, which tests use to break a
 * server between two attempts). Each attempt is made repeat times and timed. After a
 * successful login the identity is also refreshed, as a session would be. With refresh set,
 * name is a DN and only directory_refresh runs, nothing is read from in.
 *
 * Writes "result: NAME" and the identity or the refusal's message for each attempt to out.
 * Returns 0 when every attempt succeeded, 1 when one was refused, 2 when the settings are
 * wrong or no password came. */
int check_login(const struct config *cfg, const char *name, int repeat, bool refresh, FILE *in,
                FILE *out);

#endif
