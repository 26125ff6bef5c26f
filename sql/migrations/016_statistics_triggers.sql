-- A cheaper upkeep of the statistics' counts (006) for the busiest writer of positions, an
-- import (issue 5: 20,000 cadres with full validation in under 10 s).
--
-- The triggers of 006 called stat_position, which called stat_office and stat_holder, which
-- called stat_add once per metric, and stat_add wrote the county's row and the township's: a
-- new position cost a dozen CALLs and some twenty single-row upserts, 0.45 ms of the server's
-- time, most of an import's. A CALL from a trigger costs more than the statements it runs
-- (MariaDB sets up the procedure's context at each one; see 015). Here each trigger writes
-- every metric of the row in one multi-row upsert per table, stat_county and stat_township:
-- a new position is one read of its holder and two statements.
--
-- The metrics and their conditions are those of 006 and of its recount, my_stat_recount, which
-- the kept counts must always equal (tests/integration/statistics.sh). A metric that does not
-- apply to the row adds 0: the village chairs, those on the two committees and the party
-- members keep their own names (a row of 0 is a count of nothing, as the rows a count falls
-- back to 0 in already are), and training without a date adds 0 to 'cadre', since there is no
-- year to name. A change takes the old row's counts away and adds the new one's in the same
-- statement: the old row adds -1 when it counted (current) and 0 when not, the new one 1 or 0.
-- The lists below differ only in their rows' key and sign; keep them alike.
--
-- @stat_deferred (a bulk writer that counts again before it commits) is kept as it was.
DROP TRIGGER organisation_stat_insert;
DROP TRIGGER organisation_stat_update;
DROP TRIGGER organisation_stat_delete;
DROP TRIGGER position_stat_insert;
DROP TRIGGER position_stat_update;
DROP TRIGGER position_stat_delete;
DROP TRIGGER person_stat_update;
DROP PROCEDURE stat_position;
DROP PROCEDURE stat_holder;
DROP PROCEDURE stat_office;
DROP PROCEDURE stat_organisation;
DROP PROCEDURE stat_add;

-- ------------------------------------------------------------------------------------------------
-- Organisations: by kind and level, and the village federations converted from congresses.

CREATE TRIGGER organisation_stat_insert AFTER INSERT ON organisation FOR EACH ROW
BEGIN
    DECLARE d_converted INT DEFAULT
        NEW.level = 5 AND NEW.kind = 'federation' AND NEW.converted_on IS NOT NULL;
    IF @stat_deferred IS NULL THEN
        INSERT INTO stat_county (county, metric, n) VALUES
            (LEFT(NEW.region, 6), CONCAT('org.', NEW.kind, '.', NEW.level), 1),
            (LEFT(NEW.region, 6), 'converted', d_converted)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        INSERT INTO stat_township (township, metric, n) VALUES
            (LEFT(NEW.region, 9), CONCAT('org.', NEW.kind, '.', NEW.level), 1),
            (LEFT(NEW.region, 9), 'converted', d_converted)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    END IF;
END;

CREATE TRIGGER organisation_stat_update AFTER UPDATE ON organisation FOR EACH ROW
BEGIN
    DECLARE o_converted INT DEFAULT
        -(OLD.level = 5 AND OLD.kind = 'federation' AND OLD.converted_on IS NOT NULL);
    DECLARE n_converted INT DEFAULT
        NEW.level = 5 AND NEW.kind = 'federation' AND NEW.converted_on IS NOT NULL;
    IF @stat_deferred IS NULL AND NOT (NEW.region <=> OLD.region AND NEW.level <=> OLD.level
            AND NEW.kind <=> OLD.kind AND NEW.converted_on <=> OLD.converted_on) THEN
        INSERT INTO stat_county (county, metric, n) VALUES
            (LEFT(OLD.region, 6), CONCAT('org.', OLD.kind, '.', OLD.level), -1),
            (LEFT(OLD.region, 6), 'converted', o_converted),
            (LEFT(NEW.region, 6), CONCAT('org.', NEW.kind, '.', NEW.level), 1),
            (LEFT(NEW.region, 6), 'converted', n_converted)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        INSERT INTO stat_township (township, metric, n) VALUES
            (LEFT(OLD.region, 9), CONCAT('org.', OLD.kind, '.', OLD.level), -1),
            (LEFT(OLD.region, 9), 'converted', o_converted),
            (LEFT(NEW.region, 9), CONCAT('org.', NEW.kind, '.', NEW.level), 1),
            (LEFT(NEW.region, 9), 'converted', n_converted)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    END IF;
END;

CREATE TRIGGER organisation_stat_delete AFTER DELETE ON organisation FOR EACH ROW
BEGIN
    DECLARE o_converted INT DEFAULT
        -(OLD.level = 5 AND OLD.kind = 'federation' AND OLD.converted_on IS NOT NULL);
    IF @stat_deferred IS NULL THEN
        INSERT INTO stat_county (county, metric, n) VALUES
            (LEFT(OLD.region, 6), CONCAT('org.', OLD.kind, '.', OLD.level), -1),
            (LEFT(OLD.region, 6), 'converted', o_converted)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        INSERT INTO stat_township (township, metric, n) VALUES
            (LEFT(OLD.region, 9), CONCAT('org.', OLD.kind, '.', OLD.level), -1),
            (LEFT(OLD.region, 9), 'converted', o_converted)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    END IF;
END;

-- ------------------------------------------------------------------------------------------------
-- Current positions: the office and what it is (cadre, office.ROLE[.full|.part], added.YEAR,
-- village_chair, village_chair.in_two) and its holder (born.YEAR, education.X, party,
-- trained.YEAR).

CREATE TRIGGER position_stat_insert AFTER INSERT ON position FOR EACH ROW
BEGIN
    DECLARE s_birth, s_trained DATE;
    DECLARE s_education, s_political VARCHAR(20) CHARACTER SET ascii;
    DECLARE n_office VARCHAR(48) CHARACTER SET ascii DEFAULT CONCAT('office.', NEW.role,
        IF(NEW.role = 'vice_chair', IF(NEW.full_time, '.full', '.part'), ''));
    DECLARE n_chair INT DEFAULT NEW.org_level = 5 AND NEW.role IN ('chair', 'congress_director');
    DECLARE n_party, n_trained INT;
    IF @stat_deferred IS NULL AND NEW.current THEN
        SELECT birth_date, education, political_status, last_training_on
            INTO s_birth, s_education, s_political, s_trained FROM person WHERE id = NEW.person_id;
        SET n_party = s_political IN ('cpc_member', 'cpc_probationary'),
            n_trained = s_trained IS NOT NULL;
        INSERT INTO stat_county (county, metric, n) VALUES
            (LEFT(NEW.region, 6), 'cadre', 1),
            (LEFT(NEW.region, 6), n_office, 1),
            (LEFT(NEW.region, 6), CONCAT('added.', YEAR(NEW.start_date)), 1),
            (LEFT(NEW.region, 6), 'village_chair', n_chair),
            (LEFT(NEW.region, 6), 'village_chair.in_two', n_chair AND NEW.in_two_committees),
            (LEFT(NEW.region, 6), CONCAT('born.', YEAR(s_birth)), 1),
            (LEFT(NEW.region, 6), CONCAT('education.', s_education), 1),
            (LEFT(NEW.region, 6), 'party', n_party),
            (LEFT(NEW.region, 6), IFNULL(CONCAT('trained.', YEAR(s_trained)), 'cadre'), n_trained)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        INSERT INTO stat_township (township, metric, n) VALUES
            (LEFT(NEW.region, 9), 'cadre', 1),
            (LEFT(NEW.region, 9), n_office, 1),
            (LEFT(NEW.region, 9), CONCAT('added.', YEAR(NEW.start_date)), 1),
            (LEFT(NEW.region, 9), 'village_chair', n_chair),
            (LEFT(NEW.region, 9), 'village_chair.in_two', n_chair AND NEW.in_two_committees),
            (LEFT(NEW.region, 9), CONCAT('born.', YEAR(s_birth)), 1),
            (LEFT(NEW.region, 9), CONCAT('education.', s_education), 1),
            (LEFT(NEW.region, 9), 'party', n_party),
            (LEFT(NEW.region, 9), IFNULL(CONCAT('trained.', YEAR(s_trained)), 'cadre'), n_trained)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    END IF;
END;

-- Ending a position is the usual update (the old row counted, the new one not); renaming a
-- person touches person_name only, which no count depends on.
CREATE TRIGGER position_stat_update AFTER UPDATE ON position FOR EACH ROW
BEGIN
    DECLARE o_birth, o_trained, s_birth, s_trained DATE;
    DECLARE o_education, o_political, s_education, s_political VARCHAR(20) CHARACTER SET ascii;
    DECLARE o_office VARCHAR(48) CHARACTER SET ascii DEFAULT CONCAT('office.', OLD.role,
        IF(OLD.role = 'vice_chair', IF(OLD.full_time, '.full', '.part'), ''));
    DECLARE n_office VARCHAR(48) CHARACTER SET ascii DEFAULT CONCAT('office.', NEW.role,
        IF(NEW.role = 'vice_chair', IF(NEW.full_time, '.full', '.part'), ''));
    -- The signs: -1 or 0 for the old row, 1 or 0 for the new one.
    DECLARE o INT DEFAULT -OLD.current;
    DECLARE d INT DEFAULT NEW.current;
    DECLARE o_chair INT DEFAULT o * (OLD.org_level = 5 AND OLD.role IN ('chair', 'congress_director'));
    DECLARE n_chair INT DEFAULT d * (NEW.org_level = 5 AND NEW.role IN ('chair', 'congress_director'));
    IF @stat_deferred IS NULL AND NOT (NEW.current <=> OLD.current AND NEW.region <=> OLD.region
            AND NEW.org_level <=> OLD.org_level AND NEW.role <=> OLD.role
            AND NEW.full_time <=> OLD.full_time
            AND NEW.in_two_committees <=> OLD.in_two_committees
            AND NEW.start_date <=> OLD.start_date AND NEW.person_id <=> OLD.person_id) THEN
        SELECT birth_date, education, political_status, last_training_on
            INTO o_birth, o_education, o_political, o_trained FROM person WHERE id = OLD.person_id;
        IF NEW.person_id = OLD.person_id THEN
            SET s_birth = o_birth, s_education = o_education, s_political = o_political,
                s_trained = o_trained;
        ELSE
            SELECT birth_date, education, political_status, last_training_on
                INTO s_birth, s_education, s_political, s_trained
                FROM person WHERE id = NEW.person_id;
        END IF;
        INSERT INTO stat_county (county, metric, n) VALUES
            (LEFT(OLD.region, 6), 'cadre', o),
            (LEFT(OLD.region, 6), o_office, o),
            (LEFT(OLD.region, 6), CONCAT('added.', YEAR(OLD.start_date)), o),
            (LEFT(OLD.region, 6), 'village_chair', o_chair),
            (LEFT(OLD.region, 6), 'village_chair.in_two', o_chair * OLD.in_two_committees),
            (LEFT(OLD.region, 6), CONCAT('born.', YEAR(o_birth)), o),
            (LEFT(OLD.region, 6), CONCAT('education.', o_education), o),
            (LEFT(OLD.region, 6), 'party', o * (o_political IN ('cpc_member', 'cpc_probationary'))),
            (LEFT(OLD.region, 6), IFNULL(CONCAT('trained.', YEAR(o_trained)), 'cadre'),
                o * (o_trained IS NOT NULL)),
            (LEFT(NEW.region, 6), 'cadre', d),
            (LEFT(NEW.region, 6), n_office, d),
            (LEFT(NEW.region, 6), CONCAT('added.', YEAR(NEW.start_date)), d),
            (LEFT(NEW.region, 6), 'village_chair', n_chair),
            (LEFT(NEW.region, 6), 'village_chair.in_two', n_chair * NEW.in_two_committees),
            (LEFT(NEW.region, 6), CONCAT('born.', YEAR(s_birth)), d),
            (LEFT(NEW.region, 6), CONCAT('education.', s_education), d),
            (LEFT(NEW.region, 6), 'party', d * (s_political IN ('cpc_member', 'cpc_probationary'))),
            (LEFT(NEW.region, 6), IFNULL(CONCAT('trained.', YEAR(s_trained)), 'cadre'),
                d * (s_trained IS NOT NULL))
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        INSERT INTO stat_township (township, metric, n) VALUES
            (LEFT(OLD.region, 9), 'cadre', o),
            (LEFT(OLD.region, 9), o_office, o),
            (LEFT(OLD.region, 9), CONCAT('added.', YEAR(OLD.start_date)), o),
            (LEFT(OLD.region, 9), 'village_chair', o_chair),
            (LEFT(OLD.region, 9), 'village_chair.in_two', o_chair * OLD.in_two_committees),
            (LEFT(OLD.region, 9), CONCAT('born.', YEAR(o_birth)), o),
            (LEFT(OLD.region, 9), CONCAT('education.', o_education), o),
            (LEFT(OLD.region, 9), 'party', o * (o_political IN ('cpc_member', 'cpc_probationary'))),
            (LEFT(OLD.region, 9), IFNULL(CONCAT('trained.', YEAR(o_trained)), 'cadre'),
                o * (o_trained IS NOT NULL)),
            (LEFT(NEW.region, 9), 'cadre', d),
            (LEFT(NEW.region, 9), n_office, d),
            (LEFT(NEW.region, 9), CONCAT('added.', YEAR(NEW.start_date)), d),
            (LEFT(NEW.region, 9), 'village_chair', n_chair),
            (LEFT(NEW.region, 9), 'village_chair.in_two', n_chair * NEW.in_two_committees),
            (LEFT(NEW.region, 9), CONCAT('born.', YEAR(s_birth)), d),
            (LEFT(NEW.region, 9), CONCAT('education.', s_education), d),
            (LEFT(NEW.region, 9), 'party', d * (s_political IN ('cpc_member', 'cpc_probationary'))),
            (LEFT(NEW.region, 9), IFNULL(CONCAT('trained.', YEAR(s_trained)), 'cadre'),
                d * (s_trained IS NOT NULL))
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    END IF;
END;

CREATE TRIGGER position_stat_delete AFTER DELETE ON position FOR EACH ROW
BEGIN
    DECLARE o_birth, o_trained DATE;
    DECLARE o_education, o_political VARCHAR(20) CHARACTER SET ascii;
    DECLARE o_office VARCHAR(48) CHARACTER SET ascii DEFAULT CONCAT('office.', OLD.role,
        IF(OLD.role = 'vice_chair', IF(OLD.full_time, '.full', '.part'), ''));
    DECLARE o_chair INT DEFAULT -(OLD.org_level = 5 AND OLD.role IN ('chair', 'congress_director'));
    DECLARE o_party, o_trained_n INT;
    IF @stat_deferred IS NULL AND OLD.current THEN
        SELECT birth_date, education, political_status, last_training_on
            INTO o_birth, o_education, o_political, o_trained FROM person WHERE id = OLD.person_id;
        SET o_party = -(o_political IN ('cpc_member', 'cpc_probationary')),
            o_trained_n = -(o_trained IS NOT NULL);
        INSERT INTO stat_county (county, metric, n) VALUES
            (LEFT(OLD.region, 6), 'cadre', -1),
            (LEFT(OLD.region, 6), o_office, -1),
            (LEFT(OLD.region, 6), CONCAT('added.', YEAR(OLD.start_date)), -1),
            (LEFT(OLD.region, 6), 'village_chair', o_chair),
            (LEFT(OLD.region, 6), 'village_chair.in_two', o_chair * OLD.in_two_committees),
            (LEFT(OLD.region, 6), CONCAT('born.', YEAR(o_birth)), -1),
            (LEFT(OLD.region, 6), CONCAT('education.', o_education), -1),
            (LEFT(OLD.region, 6), 'party', o_party),
            (LEFT(OLD.region, 6), IFNULL(CONCAT('trained.', YEAR(o_trained)), 'cadre'), o_trained_n)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        INSERT INTO stat_township (township, metric, n) VALUES
            (LEFT(OLD.region, 9), 'cadre', -1),
            (LEFT(OLD.region, 9), o_office, -1),
            (LEFT(OLD.region, 9), CONCAT('added.', YEAR(OLD.start_date)), -1),
            (LEFT(OLD.region, 9), 'village_chair', o_chair),
            (LEFT(OLD.region, 9), 'village_chair.in_two', o_chair * OLD.in_two_committees),
            (LEFT(OLD.region, 9), CONCAT('born.', YEAR(o_birth)), -1),
            (LEFT(OLD.region, 9), CONCAT('education.', o_education), -1),
            (LEFT(OLD.region, 9), 'party', o_party),
            (LEFT(OLD.region, 9), IFNULL(CONCAT('trained.', YEAR(o_trained)), 'cadre'), o_trained_n)
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    END IF;
END;

-- ------------------------------------------------------------------------------------------------
-- A change of a holder's age, education, party or training moves the counts of each of her
-- current positions: her old values' counts taken away and her new ones' added, for all of
-- them in one statement per table.
CREATE TRIGGER person_stat_update AFTER UPDATE ON person FOR EACH ROW
BEGIN
    IF @stat_deferred IS NULL AND NOT (NEW.birth_date <=> OLD.birth_date
            AND NEW.education <=> OLD.education
            AND NEW.political_status <=> OLD.political_status
            AND NEW.last_training_on <=> OLD.last_training_on) THEN
        INSERT INTO stat_county (county, metric, n)
            SELECT LEFT(p.region, 6), m.metric, m.d FROM position p JOIN (
                SELECT CONCAT('born.', YEAR(OLD.birth_date)) AS metric, -1 AS d
                UNION ALL SELECT CONCAT('education.', OLD.education), -1
                UNION ALL SELECT 'party', -(OLD.political_status IN ('cpc_member', 'cpc_probationary'))
                UNION ALL SELECT IFNULL(CONCAT('trained.', YEAR(OLD.last_training_on)), 'cadre'),
                                 -(OLD.last_training_on IS NOT NULL)
                UNION ALL SELECT CONCAT('born.', YEAR(NEW.birth_date)), 1
                UNION ALL SELECT CONCAT('education.', NEW.education), 1
                UNION ALL SELECT 'party', NEW.political_status IN ('cpc_member', 'cpc_probationary')
                UNION ALL SELECT IFNULL(CONCAT('trained.', YEAR(NEW.last_training_on)), 'cadre'),
                                 NEW.last_training_on IS NOT NULL) m
            WHERE p.person_id = NEW.id AND p.current
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        INSERT INTO stat_township (township, metric, n)
            SELECT LEFT(p.region, 9), m.metric, m.d FROM position p JOIN (
                SELECT CONCAT('born.', YEAR(OLD.birth_date)) AS metric, -1 AS d
                UNION ALL SELECT CONCAT('education.', OLD.education), -1
                UNION ALL SELECT 'party', -(OLD.political_status IN ('cpc_member', 'cpc_probationary'))
                UNION ALL SELECT IFNULL(CONCAT('trained.', YEAR(OLD.last_training_on)), 'cadre'),
                                 -(OLD.last_training_on IS NOT NULL)
                UNION ALL SELECT CONCAT('born.', YEAR(NEW.birth_date)), 1
                UNION ALL SELECT CONCAT('education.', NEW.education), 1
                UNION ALL SELECT 'party', NEW.political_status IN ('cpc_member', 'cpc_probationary')
                UNION ALL SELECT IFNULL(CONCAT('trained.', YEAR(NEW.last_training_on)), 'cadre'),
                                 NEW.last_training_on IS NOT NULL) m
            WHERE p.person_id = NEW.id AND p.current
            ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    END IF;
END;
