/* The statements of `jiceng generate` (sql/generate.c): the rules that turn region codes, a
 * seed and a date into organisations, cadres, positions and training records. */
#ifndef JICENG_GENERATE_SQL_H
#define JICENG_GENERATE_SQL_H

/* Every statement that reads a chunk of regions binds its LIKE pattern (see generate.c); the
 * session variables @gen_seed and @gen_as_of hold the seed and the date. Random numbers are
 * slices of MD5s of the seed and the region code (and a person's slot): the same inputs give
 * the same data on any server. */
extern const char GEN_SET_PARAMETERS[];
extern const char GEN_STAGING_TABLES[];
extern const char GEN_DROP_STAGING[];
extern const char GEN_STAT_DEFER[];
extern const char GEN_STAT_RESUME[];
extern const char GEN_STAT_FORGET[];
extern const char GEN_STAT_FORGET_TOWNSHIPS[];
extern const char GEN_STAT_SCOPE[];
extern const char GEN_STAT_RECOUNT[];
extern const char GEN_STAT_RECOUNT_TOWNSHIPS[];

extern const char GEN_COUNT_REGIONS[];
extern const char GEN_CHUNKS[];
extern const char GEN_EXISTING[];
extern const char GEN_AS_OF[];

extern const char GEN_DELETE_TRAINING[];
extern const char GEN_DELETE_CANDIDATES[];
extern const char GEN_DELETE_CANDIDATE_PEOPLE[];
extern const char GEN_DELETE_REELECTIONS[];
extern const char GEN_DELETE_COPIES[];
extern const char GEN_DELETE_REQUEST_STEPS[];
extern const char GEN_DELETE_REQUESTS[];
extern const char GEN_UNLINK_POSITIONS[];
extern const char GEN_DELETE_POSITIONS[];
extern const char GEN_DELETE_ORGANISATIONS[];
extern const char GEN_DELETE_PEOPLE[];
extern const char GEN_DELETE_NEW_ORG_VISITS[];
extern const char GEN_DELETE_NEW_ORG_LINKS[];
extern const char GEN_DELETE_NEW_ORG_PROPOSALS[];
extern const char GEN_DELETE_NEW_ORGS[];

extern const char GEN_INSERT_ORGANISATIONS[];
extern const char GEN_STAGE_ORGANISATIONS[]; /* binds the rank scope, then the chunk */
extern const char GEN_STAGE_CADRES[];
extern const char GEN_INSERT_PEOPLE[];
extern const char GEN_INSERT_POSITIONS[];
extern const char GEN_LINK_SUCCESSORS[];
extern const char GEN_INSERT_TRAINING[];
extern const char GEN_INSERT_NEW_ORGS[];

#endif
