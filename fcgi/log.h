/* Diagnostics on standard error and the access log, one write per line so threads never mix. */
#ifndef JICENG_LOG_H
#define JICENG_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO };

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

/* Opens the access log: a path, or "-" for standard error. Returns 0 or -1 (errno set). */
int access_log_open(const char *path);

/* Writes one access-log line. */
void access_log_write(const char *request_id, const char *remote, const char *method,
                      const char *path, int status, double millis);

#endif
