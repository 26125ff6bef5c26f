/* The lockout of [login]: after max_failures wrong passwords for one username from one address
 * within failure_window minutes, that pair is refused for lockout minutes without asking the
 * directory. Kept in MariaDB, so every worker on every host counts the same failures. */
#ifndef JICENG_THROTTLE_H
#define JICENG_THROTTLE_H

struct config;
struct db;

/* Returns DB_OK with *retry_after set to the seconds left of a lock (0 when not locked), or an
 * error. */
int throttle_check(struct db *db, const char *username, const char *address, long *retry_after);

/* Counts a failure; locks the pair when it reaches max_failures. */
int throttle_failure(struct db *db, const struct config *cfg, const char *username,
                     const char *address);

/* Forgets the failures of the pair after a successful login. */
int throttle_clear(struct db *db, const char *username, const char *address);

#endif
