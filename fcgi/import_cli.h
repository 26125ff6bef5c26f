/* The command-line import for administrators: `jiceng import KIND FILE --as-region CODE
 * [--dry-run]`. */
#ifndef JICENG_IMPORT_CLI_H
#define JICENG_IMPORT_CLI_H

#include <stdbool.h>
#include <stdio.h>

struct config;

/* Imports FILE (kind "cadres", "organisations" or "new-organisations") as an administrator of region would through the API: the same
 * checks, the jurisdiction of region, one transaction, the audit log naming "jiceng import".
 * Draws a progress bar on err when it is a terminal; prints the summary on out, or every error
 * as "FILE:LINE: column N (header): message" on err. Returns the exit status: 0, 1 when the
 * import was refused or failed, 2 for a wrong command line. */
int import_command(const struct config *cfg, const char *kind, const char *path,
                   const char *region, bool dry_run, FILE *out, FILE *err);

#endif
