/* The statements of `jiceng generate`: plain INSERT ... SELECT over the region table and the
 * Sequence engine's seq_1_to_N tables, so that millions of rows never travel through the
 * client. Two staging tables (temporary, per connection) hold what later phases share:
 * gen_org one row per region, gen_cadre one row per person to be made. */
#include "generate_sql.h"

/* The SQL below is laid out by hand, for reading as SQL. */
/* clang-format off */

/* 16 bits of a hex digest column, from position i (1, 5, 9, ...). */
#define PART(digest, i) "CAST(CONV(SUBSTR(" digest ", " #i ", 4), 16, 10) AS UNSIGNED)"

/* The GB 11643-1999 check character of the 17 digits in column body: the digits weighted by
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the sum modulo 11 picks from "10X98765432". */
#define D(body, i, w) "SUBSTR(" body ", " #i ", 1) * " #w
#define ID_CHECK(b)                                                                          \
    "SUBSTR('10X98765432', 1 + MOD(" D(b, 1, 7) " + " D(b, 2, 9) " + " D(b, 3, 10) " + "     \
    D(b, 4, 5) " + " D(b, 5, 8) " + " D(b, 6, 4) " + " D(b, 7, 2) " + " D(b, 8, 1) " + "     \
    D(b, 9, 6) " + " D(b, 10, 3) " + " D(b, 11, 7) " + " D(b, 12, 9) " + " D(b, 13, 10)     \
    " + " D(b, 14, 5) " + " D(b, 15, 8) " + " D(b, 16, 4) " + " D(b, 17, 2) ", 11), 1)"

#define ASCII "CHARACTER SET ascii COLLATE ascii_bin"
#define U(n, i) "u" #n " SMALLINT UNSIGNED AS (" PART("h", i) ") STORED,\n"

const char GEN_SET_PARAMETERS[] = "SET @gen_seed = ?, @gen_as_of = ?";

const char GEN_DROP_STAGING[] = "DROP TEMPORARY TABLE IF EXISTS gen_cadre, gen_org";


/* Slots: 1..cadres are the current office holders in order of rank (chair, vice chairs,
 * standing members, executive members); 45..47 are the predecessors of offices 1..3 when the
 * office changed hands (the chair at the last re-election, a vice chair during the term).
 * The ordinal of a person among all people of her id number's area (county) is her region's
 * rank in the county times 48 plus her slot: it makes the id numbers unique (see birth_date). */
const char GEN_STAGING_TABLES[] =
    "DROP TEMPORARY TABLE IF EXISTS gen_cadre, gen_org;\n"
    "CREATE TEMPORARY TABLE gen_org (\n"
    "  region VARCHAR(12) " ASCII " NOT NULL PRIMARY KEY,\n"
    "  level TINYINT UNSIGNED NOT NULL,\n"
    "  area VARCHAR(6) " ASCII " NOT NULL,\n"
    "  first_ordinal INT UNSIGNED NOT NULL,\n"
    "  area_shift INT UNSIGNED NOT NULL,\n"
    "  cadres TINYINT UNSIGNED NOT NULL,\n"
    "  organisation_id BIGINT UNSIGNED NOT NULL,\n"
    "  kind VARCHAR(20) " ASCII " NOT NULL,\n"
    "  term_start DATE NOT NULL,\n"
    "  term_years TINYINT UNSIGNED NOT NULL,\n"
    "  handover1 DATE NULL, handover2 DATE NULL, handover3 DATE NULL\n"
    ") ENGINE=InnoDB;\n"
    "CREATE TEMPORARY TABLE gen_cadre (\n"
    "  region VARCHAR(12) " ASCII " NOT NULL,\n"
    "  slot TINYINT UNSIGNED NOT NULL,\n"
    "  level TINYINT UNSIGNED NOT NULL,\n"
    "  cadres TINYINT UNSIGNED NOT NULL,\n"
    "  organisation_id BIGINT UNSIGNED NOT NULL,\n"
    "  org_kind VARCHAR(20) " ASCII " NOT NULL,\n"
    "  term_start DATE NOT NULL,\n"
    "  term_years TINYINT UNSIGNED NOT NULL,\n"
    "  handover DATE NULL,\n"
    "  area VARCHAR(6) " ASCII " NOT NULL,\n"
    "  ordinal INT UNSIGNED NOT NULL,\n"
    "  birth_date DATE NOT NULL,\n"
    "  h VARCHAR(64) " ASCII " NOT NULL,\n"
    U(1, 1) U(2, 5) U(3, 9) U(4, 13) U(5, 17) U(6, 21) U(7, 25) U(8, 29)
    U(9, 33) U(10, 37) U(11, 41) U(12, 45) U(13, 49) U(14, 53) U(15, 57) U(16, 61)
    "  office TINYINT UNSIGNED AS (IF(slot > 44, slot - 44, slot)) VIRTUAL,\n"
    "  role VARCHAR(20) " ASCII " AS (CASE\n"
    "    WHEN office = 1 THEN IF(org_kind = 'womens_congress', 'congress_director', 'chair')\n"
    "    WHEN office <= CASE WHEN level <= 3 THEN 4 WHEN level = 4 THEN 3 ELSE 2 END\n"
    "      THEN 'vice_chair'\n"
    "    WHEN level <= 3 AND office <= 4 + cadres DIV 4 THEN 'standing_member'\n"
    "    ELSE 'executive_member' END) VIRTUAL,\n"
    /* Female: the sequence digits are even. */
    "  id_body VARCHAR(17) " ASCII " AS (CONCAT(area,\n"
    "    YEAR(birth_date) * 10000 + MONTH(birth_date) * 100 + DAYOFMONTH(birth_date),\n"
    "    LPAD(100 * (ordinal DIV 14600) + 2 * (u6 % 50), 3, '0'))) STORED,\n"
    "  id_number VARCHAR(18) " ASCII " AS (CONCAT(id_body, " ID_CHECK("id_body") ")) STORED,\n"
    /* 8% never trained; of the others 1 in 10 last trained over two years ago. */
    "  trainings TINYINT UNSIGNED AS (CASE WHEN u13 % 100 < 8 THEN 0 WHEN u13 % 100 < 45 THEN 1\n"
    "    WHEN u13 % 100 < 80 THEN 2 ELSE 3 END) VIRTUAL,\n"
    "  trained_days_ago SMALLINT UNSIGNED AS (\n"
    "    IF(u13 DIV 100 % 10 = 0, 730 + u14 % 730, u14 % 720)) VIRTUAL,\n"
    "  PRIMARY KEY (region, slot)\n"
    ") ENGINE=InnoDB";

/* The counts the statistics keep per county and township (migration 006). Kept by triggers row by row,
 * they would cost the generation several times its time; the run sets @stat_deferred so the
 * triggers skip them, and counts its scope again from the tables before it commits. The scope
 * is the prefix cut to a county: below one, the county's counts hold other subtrees too, so
 * the whole county is counted again. */
const char GEN_STAT_DEFER[] = "SET @stat_deferred = 1";
const char GEN_STAT_RESUME[] = "SET @stat_deferred = NULL, @jurisdiction = NULL";
const char GEN_STAT_FORGET[] = "DELETE FROM stat_county WHERE county LIKE CONCAT(?, '%')";
const char GEN_STAT_FORGET_TOWNSHIPS[] =
    "DELETE FROM stat_township WHERE township LIKE CONCAT(?, '%')";
/* The views keep the subtree under @jurisdiction: '' (which the application never sets) is all. */
const char GEN_STAT_SCOPE[] = "SET @jurisdiction = ?";
const char GEN_STAT_RECOUNT_TOWNSHIPS[] =
    "INSERT INTO stat_township (township, metric, n)"
    " SELECT LEFT(region, 9), metric, SUM(n) FROM my_stat_recount GROUP BY 1, 2";
/* The counties' counts are their townships' summed: the tables are read once. */
const char GEN_STAT_RECOUNT[] =
    "INSERT INTO stat_county (county, metric, n)"
    " SELECT LEFT(township, 6), metric, SUM(n) FROM stat_township"
    " WHERE township LIKE CONCAT(?, '%') GROUP BY 1, 2";

const char GEN_AS_OF[] = "SELECT DATE_FORMAT(IFNULL(?, CURDATE()), '%Y-%m-%d')";
const char GEN_COUNT_REGIONS[] = "SELECT COUNT(*) FROM region WHERE code LIKE ?";
/* A chunk is a province (its own row) or a city's subtree: small enough that no statement
 * runs long, large enough that there are few statements. */
const char GEN_CHUNKS[] =
    "SELECT code, level FROM region WHERE code LIKE ? AND level <= 2 ORDER BY code";
const char GEN_EXISTING[] =
    "SELECT (SELECT COUNT(*) FROM organisation WHERE region LIKE ?),"
    " (SELECT COUNT(*) FROM person WHERE region LIKE ?)";

/* --replace, in an order the foreign keys accept: training and positions before the people
 * and organisations they name; successor links cut before positions go. Positions are found by
 * region through their index position_roster (current, region, id), so current is named. */
const char GEN_DELETE_TRAINING[] = "DELETE FROM training WHERE region LIKE ?";
/* Re-elections and workflow requests go with their organisations; a candidate of a plan above
 * the prefix who is on the roll under it goes with her person. The requests' history stays,
 * append-only like the audit log. */
const char GEN_DELETE_CANDIDATES[] = "DELETE FROM reelection_candidate WHERE region LIKE ?";
const char GEN_DELETE_CANDIDATE_PEOPLE[] =
    "DELETE c FROM reelection_candidate c JOIN person p ON p.id = c.person_id"
    " WHERE p.region LIKE ?";
const char GEN_DELETE_REELECTIONS[] = "DELETE FROM reelection WHERE region LIKE ?";
const char GEN_DELETE_COPIES[] = "DELETE FROM workflow_copy WHERE region LIKE ?";
const char GEN_DELETE_REQUEST_STEPS[] = "DELETE FROM workflow_request_step WHERE region LIKE ?";
const char GEN_DELETE_REQUESTS[] = "DELETE FROM workflow_request WHERE region LIKE ?";
const char GEN_UNLINK_POSITIONS[] =
    "UPDATE position SET succeeds_id = NULL"
    " WHERE current IN (0, 1) AND region LIKE ? AND succeeds_id IS NOT NULL";
const char GEN_DELETE_POSITIONS[] = "DELETE FROM position WHERE current IN (0, 1) AND region LIKE ?";
const char GEN_DELETE_ORGANISATIONS[] = "DELETE FROM organisation WHERE region LIKE ?";
const char GEN_DELETE_PEOPLE[] = "DELETE FROM person WHERE region LIKE ?";

#define REGION_PART(i) PART("MD5(CONCAT(@gen_seed, '/o/', code))", i)

/* One organisation per region: a federation, or for 1 in 10 villages (not communities) a
 * women's congress. Terms of 3 or 5 years began in the last five years, so some are overdue;
 * villages and communities re-elect with their village committee five years after the last
 * election. 1 in 4 village federations converted from a congress, at the last election or the
 * one before. */
const char GEN_INSERT_ORGANISATIONS[] =
    "INSERT INTO organisation (region, level, kind, name, converted_on, term_start, term_years,"
    "  village_committee_election)"
    " SELECT code, level, kind,"
    "  CONCAT(REGEXP_REPLACE(REGEXP_REPLACE(name, '村(民委员会|委会)$', '村'),"
    "      '居(民委员会|委会)$', ''),"
    "    IF(kind = 'federation', '妇女联合会', '妇女代表大会')),"
    "  CASE WHEN NOT village OR kind <> 'federation' THEN NULL"
    "    WHEN o4 % 8 = 0 THEN term_start WHEN o4 % 8 = 1 THEN term_start - INTERVAL 5 YEAR END,"
    "  term_start, term_years, IF(level = 5, term_start + INTERVAL 5 YEAR, NULL)"
    " FROM (SELECT code, level, name, o4, village,"
    "   IF(village AND o1 % 10 = 0, 'womens_congress', 'federation') AS kind,"
    "   IF(o2 % 10 < IF(level = 5, 2, 3), 3, 5) AS term_years,"
    "   @gen_as_of - INTERVAL (o3 * 1826 DIV 65536) DAY AS term_start"
    "  FROM (SELECT code, level, name, " REGION_PART(1) " AS o1, " REGION_PART(5) " AS o2,"
    "     " REGION_PART(9) " AS o3, " REGION_PART(13) " AS o4,"
    "     level = 5 AND name NOT REGEXP '社区|居委会|居民委员会' AS village"
    "    FROM region WHERE code LIKE ?) hashed) org"
    " ORDER BY code";

#define HANDOVER_PART(i) PART("r.m", i)
#define TERM_DAYS "DATEDIFF(@gen_as_of, o.term_start)"
/* A day strictly after the term began and not after today, from 16 random bits. */
#define DAY_IN_TERM(i)                                                                       \
    "o.term_start + INTERVAL (1 + " HANDOVER_PART(i) " * (" TERM_DAYS " - 1) DIV 65536) DAY"

/* Per region: how many cadres (villages 8 to 12, townships and counties 20 to 40, cities 20
 * to 30, provinces 30 to 40) and which of the first three offices changed hands: the chair
 * at the last election in 1 of 5 organisations, each of the next two during the term in 1 of
 * 8. The rank is taken over the whole scope (a county), so that generating part of a county
 * later gives its people other ordinals. */
const char GEN_STAGE_ORGANISATIONS[] =
    "INSERT INTO gen_org (region, level, area, first_ordinal, area_shift, cadres,"
    "  organisation_id, kind, term_start, term_years, handover1, handover2, handover3)"
    " SELECT r.code, r.level, r.area, (r.rnk - 1) * 48, CONV(SUBSTR(MD5(r.area), 1, 4), 16, 10),"
    "  CASE r.level WHEN 5 THEN 8 + " HANDOVER_PART(1) " % 5"
    "    WHEN 1 THEN 30 + " HANDOVER_PART(1) " % 11 WHEN 2 THEN 20 + " HANDOVER_PART(1) " % 11"
    "    ELSE 20 + " HANDOVER_PART(1) " % 21 END,"
    "  o.id, o.kind, o.term_start, o.term_years,"
    "  IF(" HANDOVER_PART(5) " % 5 = 0, o.term_start, NULL),"
    "  IF(" HANDOVER_PART(5) " DIV 8 % 8 = 0 AND " TERM_DAYS " >= 2, " DAY_IN_TERM(9) ", NULL),"
    "  IF(" HANDOVER_PART(5) " DIV 64 % 8 = 0 AND " TERM_DAYS " >= 2, " DAY_IN_TERM(13) ", NULL)"
    " FROM (SELECT code, level, area, ROW_NUMBER() OVER (PARTITION BY area ORDER BY code) AS rnk,"
    "    MD5(CONCAT(@gen_seed, '/r/', code)) AS m"
    "  FROM (SELECT code, level, IF(level <= 2, RPAD(code, 6, '0'), LEFT(code, 6)) AS area"
    "    FROM region WHERE code LIKE ?) a) r"
    " JOIN organisation o ON o.federation_of = r.code"
    " WHERE r.code LIKE ?";

/* Birth dates: the person's ordinal in her area times a prime, modulo the 14,600 days from
 * 62 to 22 years ago, so ages spread evenly; two people of one area born the same day have
 * ordinals 14,600 apart and so differ in the hundreds digit of the id number's sequence. */
const char GEN_STAGE_CADRES[] =
    "INSERT INTO gen_cadre (region, slot, level, cadres, organisation_id, org_kind, term_start,"
    "  term_years, handover, area, ordinal, birth_date, h)"
    " SELECT g.region, s.seq, g.level, g.cadres, g.organisation_id, g.kind, g.term_start,"
    "  g.term_years,"
    "  CASE IF(s.seq > 44, s.seq - 44, s.seq) WHEN 1 THEN g.handover1 WHEN 2 THEN g.handover2"
    "    WHEN 3 THEN g.handover3 END,"
    "  g.area, g.first_ordinal + s.seq - 1,"
    "  @gen_as_of - INTERVAL 62 YEAR"
    "    + INTERVAL (((g.first_ordinal + s.seq - 1) * 7919 + g.area_shift) % 14600) DAY,"
    "  CONCAT(MD5(CONCAT(@gen_seed, '/p/', g.region, '/', s.seq)),"
    "    MD5(CONCAT(@gen_seed, '/q/', g.region, '/', s.seq)))"
    " FROM gen_org g JOIN seq_1_to_47 s ON s.seq <= g.cadres"
    "  OR (s.seq = 45 AND g.handover1 IS NOT NULL) OR (s.seq = 46 AND g.handover2 IS NOT NULL)"
    "  OR (s.seq = 47 AND g.handover3 IS NOT NULL)"
    " WHERE g.region LIKE ?";

#define PCT(n) "u" #n " % 100"
#define SURNAMES                                                                             \
    "'王', '李', '张', '刘', '陈', '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周',"     \
    " '吴', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭',"   \
    " '马', '罗', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹',"   \
    " '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕'"
#define GIVEN                                                                                \
    "'秀', '英', '华', '兰', '芳', '玲', '丽', '娟', '敏', '静', '燕', '红', '霞', '梅',"     \
    " '萍', '琳', '婷', '雪', '艳', '洁', '慧', '颖', '莉', '晶', '倩', '琴', '云', '凤',"   \
    " '桂', '淑', '玉', '珍', '春', '丹', '薇', '欣', '悦', '怡', '佳', '媛'"

/* Minorities where they live in numbers; elsewhere nearly all Han. */
#define ETHNICITY                                                                            \
    "CASE LEFT(region, 2)"                                                                   \
    " WHEN '54' THEN IF(" PCT(7) " < 90, '藏族', '汉族')"                                    \
    " WHEN '65' THEN CASE WHEN " PCT(7) " < 45 THEN '维吾尔族' WHEN " PCT(7) " < 52"         \
    "   THEN '哈萨克族' WHEN " PCT(7) " < 57 THEN '回族' ELSE '汉族' END"                    \
    " WHEN '64' THEN IF(" PCT(7) " < 36, '回族', '汉族')"                                    \
    " WHEN '45' THEN CASE WHEN " PCT(7) " < 31 THEN '壮族' WHEN " PCT(7) " < 34 THEN '瑶族'" \
    "   ELSE '汉族' END"                                                                     \
    " WHEN '15' THEN IF(" PCT(7) " < 17, '蒙古族', '汉族')"                                  \
    " WHEN '21' THEN CASE WHEN " PCT(7) " < 12 THEN '满族' WHEN " PCT(7) " < 14 THEN '蒙古族'" \
    "   WHEN " PCT(7) " < 15 THEN '朝鲜族' ELSE '汉族' END"                                  \
    " WHEN '22' THEN CASE WHEN " PCT(7) " < 4 THEN '朝鲜族' WHEN " PCT(7) " < 8 THEN '满族'" \
    "   ELSE '汉族' END"                                                                     \
    " WHEN '52' THEN CASE WHEN " PCT(7) " < 11 THEN '苗族' WHEN " PCT(7) " < 18 THEN '布依族'" \
    "   WHEN " PCT(7) " < 22 THEN '侗族' ELSE '汉族' END"                                    \
    " WHEN '53' THEN CASE WHEN " PCT(7) " < 11 THEN '彝族' WHEN " PCT(7) " < 15 THEN '白族'" \
    "   WHEN " PCT(7) " < 18 THEN '哈尼族' ELSE '汉族' END"                                  \
    " WHEN '63' THEN CASE WHEN " PCT(7) " < 25 THEN '藏族' WHEN " PCT(7) " < 40 THEN '回族'" \
    "   ELSE '汉族' END"                                                                     \
    " WHEN '46' THEN IF(" PCT(7) " < 15, '黎族', '汉族')"                                    \
    " ELSE CASE WHEN " PCT(7) " < 1 THEN '回族' WHEN " PCT(7) " < 2 THEN '满族' ELSE '汉族' END" \
    " END"

/* Village cadres went to school less long than those of townships, and those less long than
 * the officers of counties and above. */
#define EDUCATION                                                                            \
    "CASE WHEN level = 5 THEN CASE WHEN " PCT(8) " < 3 THEN 'primary'"                       \
    "   WHEN " PCT(8) " < 33 THEN 'junior_high' WHEN " PCT(8) " < 55 THEN 'senior_high'"     \
    "   WHEN " PCT(8) " < 65 THEN 'vocational' WHEN " PCT(8) " < 85 THEN 'junior_college'"   \
    "   WHEN " PCT(8) " < 99 THEN 'bachelor' ELSE 'master' END"                              \
    " WHEN level = 4 THEN CASE WHEN " PCT(8) " < 5 THEN 'junior_high'"                       \
    "   WHEN " PCT(8) " < 15 THEN 'senior_high' WHEN " PCT(8) " < 20 THEN 'vocational'"      \
    "   WHEN " PCT(8) " < 45 THEN 'junior_college' WHEN " PCT(8) " < 92 THEN 'bachelor'"     \
    "   ELSE 'master' END"                                                                   \
    " ELSE CASE WHEN " PCT(8) " < 3 THEN 'senior_high' WHEN " PCT(8) " < 15 THEN 'junior_college'" \
    "   WHEN " PCT(8) " < 75 THEN 'bachelor' WHEN " PCT(8) " < 97 THEN 'master'"             \
    "   ELSE 'doctorate' END END"

/* Chairs are nearly all Party members; the others less so in villages. The Youth League
 * takes members up to 28. */
#define YOUNG "birth_date > @gen_as_of - INTERVAL 28 YEAR"
#define POLITICAL                                                                            \
    "CASE WHEN office = 1 THEN CASE WHEN " PCT(9) " < 94 THEN 'cpc_member'"                  \
    "   WHEN " PCT(9) " < 96 THEN 'cpc_probationary' ELSE 'masses' END"                      \
    " WHEN level = 5 THEN CASE WHEN " PCT(9) " < 40 THEN 'cpc_member'"                       \
    "   WHEN " PCT(9) " < 43 THEN 'cpc_probationary' WHEN " PCT(9) " < 60 AND " YOUNG         \
    "   THEN 'league_member' ELSE 'masses' END"                                              \
    " ELSE CASE WHEN " PCT(9) " < 65 THEN 'cpc_member' WHEN " PCT(9) " < 67 THEN 'cpc_probationary'" \
    "   WHEN " PCT(9) " < 72 THEN 'democratic_party' WHEN " PCT(9) " < 90 AND " YOUNG         \
    "   THEN 'league_member' ELSE 'masses' END END"

/* Executive members are drawn from the groups DOMAIN.md names. */
#define OCCUPATION                                                                           \
    "CASE WHEN level = 5 THEN CASE WHEN " PCT(10) " < 25 THEN 'capable_woman'"               \
    "   WHEN " PCT(10) " < 40 THEN 'teacher' WHEN " PCT(10) " < 50 THEN 'village_doctor'"    \
    "   WHEN " PCT(10) " < 60 THEN 'former_cadre' WHEN " PCT(10) " < 70 THEN 'entrepreneur'" \
    "   WHEN " PCT(10) " < 80 THEN 'volunteer_leader' WHEN " PCT(10) " < 90 THEN 'cultural_leader'" \
    "   WHEN " PCT(10) " < 93 THEN 'student_village_official' ELSE 'other' END"             \
    " ELSE CASE WHEN " PCT(10) " < 40 THEN 'other' WHEN " PCT(10) " < 55 THEN 'teacher'"     \
    "   WHEN " PCT(10) " < 65 THEN 'entrepreneur' WHEN " PCT(10) " < 75 THEN 'former_cadre'" \
    "   WHEN " PCT(10) " < 80 THEN 'volunteer_leader' WHEN " PCT(10) " < 85 THEN 'cultural_leader'" \
    "   ELSE 'capable_woman' END END"

const char GEN_INSERT_PEOPLE[] =
    "INSERT INTO person (region, name, gender, birth_date, ethnicity, education, political_status,"
    "  id_number, mobile, occupation, last_training_on)"
    " SELECT region,"
    "  CONCAT(ELT(1 + u2 % 50, " SURNAMES "), ELT(1 + u3 % 40, " GIVEN "),"
    "    IF(u3 DIV 40 % 10 < 3, '', ELT(1 + u4 % 40, " GIVEN "))),"
    "  'female', birth_date, " ETHNICITY ", " EDUCATION ", " POLITICAL ", id_number,"
    "  CONCAT(ELT(1 + u5 % 8, '13', '15', '18', '13', '15', '18', '17', '19'),"
    "    LPAD((u11 * 65536 + u12) % 1000000000, 9, '0')),"
    "  " OCCUPATION ","
    "  IF(trainings = 0, NULL, @gen_as_of - INTERVAL trained_days_ago DAY)"
    " FROM gen_cadre WHERE region LIKE ? ORDER BY region, slot";

/* Chairs of counties and above are full-time, and their first vice chair (cities and
 * provinces: two); a township's chair half the time. Nearly every village chair sits on the
 * two committees (the target is all of them). 1 in 10 executive members joined during the
 * term. Predecessors: the chair's held the previous term; a vice chair's left mid-term. */
const char GEN_INSERT_POSITIONS[] =
    "INSERT INTO position (person_id, organisation_id, region, org_level, org_kind, role,"
    "  full_time, in_two_committees, term_start, start_date, end_date, end_reason)"
    " SELECT p.id, g.organisation_id, g.region, g.level, g.org_kind, g.role,"
    "  CASE WHEN g.level <= 3 THEN g.office <= 2 OR (g.office = 3 AND g.level <= 2)"
    "    WHEN g.level = 4 THEN (g.office = 1 AND g.u16 % 2 = 0) OR (g.office = 2 AND g.u16 % 10 < 3)"
    "    ELSE FALSE END,"
    "  g.level = 5 AND g.u1 % 100 < CASE g.role WHEN 'chair' THEN 99"
    "    WHEN 'congress_director' THEN 99 WHEN 'vice_chair' THEN 30 ELSE 8 END,"
    "  IF(g.slot = 45, g.term_start - INTERVAL g.term_years YEAR, g.term_start),"
    "  CASE WHEN g.slot = 45 THEN g.term_start - INTERVAL g.term_years YEAR"
    "    WHEN g.slot > 45 THEN g.term_start"
    "    WHEN g.handover IS NOT NULL THEN g.handover"
    "    WHEN g.role = 'executive_member' AND g.u16 % 10 = 0"
    "      THEN g.term_start + INTERVAL (g.u15 * DATEDIFF(@gen_as_of, g.term_start) DIV 65536) DAY"
    "    ELSE g.term_start END,"
    "  IF(g.slot > 44, g.handover - INTERVAL 1 DAY, NULL),"
    "  CASE g.slot WHEN 45 THEN '任期届满' WHEN 46 THEN '工作调动' WHEN 47 THEN '工作调动' END"
    " FROM gen_cadre g JOIN person p ON p.id_number = g.id_number"
    " WHERE g.region LIKE ? ORDER BY g.region, g.slot";

/* Each new office holder's position names the one she took over from. */
const char GEN_LINK_SUCCESSORS[] =
    "UPDATE gen_cadre g"
    " JOIN person np ON np.id_number = g.id_number JOIN position n ON n.person_id = np.id"
    " JOIN gen_cadre pg ON pg.region = g.region AND pg.slot = g.slot + 44"
    " JOIN person pp ON pp.id_number = pg.id_number JOIN position pv ON pv.person_id = pp.id"
    " SET n.succeeds_id = pv.id"
    " WHERE g.region LIKE ? AND g.slot <= 3 AND g.handover IS NOT NULL";

#define COURSES                                                                              \
    "'基层妇联干部履职能力培训班', '妇联执委培训', '家庭教育指导培训',"                     \
    " '巾帼建功乡村振兴专题培训', '妇女儿童权益保障法律知识培训', '网上妇联工作培训',"     \
    " '反家庭暴力法宣讲培训', '妇女之家规范化建设培训'"

/* Up to three courses, half a year or more apart, the last one trained_days_ago; organised at
 * her level or up to two levels above. */
const char GEN_INSERT_TRAINING[] =
    "INSERT INTO training (person_id, region, held_on, course, hours, organiser_level)"
    " SELECT p.id, g.region,"
    "  @gen_as_of - INTERVAL (g.trained_days_ago + (s.seq - 1) * (150 + g.u15 % 250)) DAY,"
    "  ELT(1 + (g.u15 + s.seq) % 8, " COURSES "),"
    "  ELT(1 + (g.u14 + s.seq) % 6, 4, 8, 12, 16, 24, 40),"
    "  g.level - LEAST(g.level - 1, (g.u15 DIV 8 + s.seq) % 3)"
    " FROM gen_cadre g JOIN seq_1_to_3 s ON s.seq <= g.trainings"
    " JOIN person p ON p.id_number = g.id_number"
    " WHERE g.region LIKE ? ORDER BY g.region, g.slot, s.seq";

/* --replace: the new organisations under the prefix, with the links and visits of their
 * committees and of the people under the prefix, before the organisations and positions their
 * committees and liaison officers are. (SELECT ? AS pattern) lets one parameter serve twice. */
#define LINKS_UNDER_PREFIX                                                                   \
    " JOIN person p ON p.id = l.person_id JOIN (SELECT ? AS pattern) k"                      \
    " WHERE l.region LIKE k.pattern OR p.region LIKE k.pattern"
const char GEN_DELETE_NEW_ORG_VISITS[] =
    "DELETE v FROM new_org_visit v JOIN new_org_link l ON l.id = v.link_id" LINKS_UNDER_PREFIX;
const char GEN_DELETE_NEW_ORG_LINKS[] = "DELETE l FROM new_org_link l" LINKS_UNDER_PREFIX;
/* Proposals to cover them (migration 013), and those naming a person under the prefix. */
const char GEN_DELETE_NEW_ORG_PROPOSALS[] =
    "DELETE c FROM new_org_coverage_request c JOIN (SELECT ? AS pattern) k"
    " LEFT JOIN person p ON p.id = c.person_id LEFT JOIN person h ON h.id = c.chair_person_id"
    " WHERE c.region LIKE k.pattern OR p.region LIKE k.pattern OR h.region LIKE k.pattern";
const char GEN_DELETE_NEW_ORGS[] = "DELETE FROM new_org WHERE region LIKE ?";

/* The GB 32100-2015 check character of the 17 characters in column b: each character's value
 * (its place in the alphabet without I, O, Z, S, V) weighted by 3^i mod 31, and 31 minus the
 * sum modulo 31 picks the character. */
#define CREDIT_ALPHABET "'0123456789ABCDEFGHJKLMNPQRTUWXY'"
#define C(b, i, w) "(INSTR(" CREDIT_ALPHABET ", SUBSTR(" b ", " #i ", 1)) - 1) * " #w
#define CREDIT_CHECK(b)                                                                      \
    "SUBSTR(" CREDIT_ALPHABET ", 1 + MOD(31 - MOD(" C(b, 1, 1) " + " C(b, 2, 3) " + "          \
    C(b, 3, 9) " + " C(b, 4, 27) " + " C(b, 5, 19) " + " C(b, 6, 26) " + " C(b, 7, 16) " + " \
    C(b, 8, 17) " + " C(b, 9, 20) " + " C(b, 10, 29) " + " C(b, 11, 25) " + " C(b, 12, 13)   \
    " + " C(b, 13, 8) " + " C(b, 14, 24) " + " C(b, 15, 10) " + " C(b, 16, 30) " + "         \
    C(b, 17, 28) ", 31), 31), 1)"
#define N(i) PART("n.h", i)

/* New economic and social organisations under the townships (0 to 90 each) and counties (0 to
 * 100): about two million for the whole country. 8 in 10 are enterprises; 3 in 10 Party
 * organisations are rated excellent and 4 up to standard; each condition of "two stable, one
 * suitable" holds for two or three in four. None is covered yet: that is the work the lists and
 * statistics are about. Their credit codes are unique by county, township and number, with
 * "MA" where codes given out since 2015 have it, and a check character that holds. A county's
 * own are numbered from 101 and put "000" for the township, which a township's (numbered up to
 * 90) can share: 金门县 has a township 350527000. */
const char GEN_INSERT_NEW_ORGS[] =
    "INSERT INTO new_org (region, name, credit_code, kind, sector, employees, female_employees,"
    "  party_rating, stable_operation, stable_female_workforce, suitable_chair)"
    " SELECT region, name, CONCAT(body, " CREDIT_CHECK("body") "), kind, sector, employees,"
    "  employees * (15 + u5 % 66) DIV 100, ELT(1 + u6 % 10, 'excellent', 'excellent',"
    "   'excellent', 'up_to_standard', 'up_to_standard', 'up_to_standard', 'up_to_standard',"
    "   'none', 'none', 'none'),"
    "  u7 % 4 <> 0, u7 DIV 4 % 4 <> 0, u7 DIV 16 % 3 <> 0"
    " FROM (SELECT region, kind, u5, u6, u7,"
    "   CONCAT(IF(kind = 'economic', '91', '52'), LEFT(region, 6), 'MA',"
    "     IF(LENGTH(region) = 9, SUBSTR(region, 7, 3), '000'), LPAD(seq + IF(LENGTH(region) = 9, 0, 100), 3, '0'), '0') AS body,"
    "   CONCAT(ELT(1 + u2 % 16, '华美', '正大', '鑫源', '恒通', '金达', '宏远', '瑞丰', '兴隆',"
    "     '顺发', '东方', '新天地', '永泰', '盛世', '嘉禾', '天成', '福源'),"
    "     IF(kind = 'economic', CONCAT(ELT(1 + u8 % 8, '服装', '商贸', '科技', '餐饮', '建筑', '物流', '家政', '教育'),"
    "       ELT(1 + u3 % 3, '有限公司', '股份有限公司', '有限责任公司')),"
    "       ELT(1 + u8 % 4, '商会', '促进会', '服务中心', '协会'))) AS name,"
    "   IF(kind = 'economic', ELT(1 + u8 % 8, '制造业', '批发和零售业', '信息技术服务业', '住宿和餐饮业', '建筑业', '交通运输业', '居民服务业', '教育'),"
    "     ELT(1 + u8 % 4, '社会团体', '社会服务机构', '社会服务机构', '社会团体')) AS sector,"
    "   3 + u2 % 200 + IF(u3 % 10 = 0, u4 % 2000, 0) AS employees"
    "  FROM (SELECT n.region, n.seq, IF(" N(1) " % 10 < 8, 'economic', 'social') AS kind,"
    "     " N(5) " AS u2, " N(9) " AS u3, " N(13) " AS u4, " N(17) " AS u5, " N(21) " AS u6,"
    "     " N(25) " AS u7, " N(29) " AS u8"
    "    FROM (SELECT r.code AS region, s.seq,"
    "       MD5(CONCAT(@gen_seed, '/n/', r.code, '/', s.seq)) AS h"
    "      FROM region r JOIN seq_1_to_100 s"
    "       ON s.seq <= " PART("MD5(CONCAT(@gen_seed, '/nc/', r.code))", 1)
    "         % IF(r.level = 4, 91, 101)"
    "      WHERE r.code LIKE ? AND r.level IN (3, 4)) n) hashed) made"
    " ORDER BY region";
/* clang-format on */
