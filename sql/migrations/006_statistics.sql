-- The figures of GET /api/v1/statistics/{code}: organisations by kind and level, offices,
-- office holders by age, education, party membership and training, for a region broken down by
-- its children.
--
-- Every figure is a count of rows under a region, named by a metric ('org.federation.5',
-- 'office.vice_chair.full', 'born.1975', ...). A township or a village is counted from the
-- tables when asked (my_stat_recount: a few hundred rows, index ranges on the region code).
-- Above that a recount reads too much: a county holds some 2,600 positions (about 30 ms to
-- recount on an idle machine, several times that on a busy one), a province 250,000 and the
-- country 7.8 million people. So the counts are kept per township (for a county's breakdown)
-- and per county (for a city's, a province's and the country's), changed by the triggers below
-- in the transaction of every change, whoever writes (the API, an import): a county then sums
-- its townships' few thousand rows and a province its counties'. Keeping them per township and
-- county, not per village, keeps the rows few (a county's cadres share some sixty birth years)
-- and the rows that concurrent writers lock local; not per province, which every writer of the
-- province would queue on.
--
-- A bulk writer in one transaction (jiceng generate, millions of rows) may set @stat_deferred
-- to skip the triggers' work, and must then count its subtree again before it commits (see
-- GEN_STAT_* in sql/generate_sql.c); the application never sets it.
--
-- Metrics that depend on today are kept by year and turned into figures when read, as yearly
-- reports count them: ages at the end of the reporting year (born.YYYY), training in the
-- reporting year or the one before (trained.YYYY), offices taken up this year (added.YYYY).
--
-- Office holders are counted per current position, as the roster lists them: a woman who holds
-- offices in two organisations counts in each.

-- County (the first 6 digits of the region code; shorter for a province's or a city's own
-- organisations), metric, count.
CREATE TABLE stat_county (
    county VARCHAR(6) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    metric VARCHAR(48) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (county, metric)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The same per township (the first 9 digits; shorter for what lies at a county or above).
CREATE TABLE stat_township (
    township VARCHAR(9) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    metric   VARCHAR(48) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (township, metric)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE PROCEDURE stat_add(v_region VARCHAR(12) CHARACTER SET ascii,
                          v_metric VARCHAR(48) CHARACTER SET ascii, v_delta INT)
    MODIFIES SQL DATA
BEGIN
    INSERT INTO stat_county (county, metric, n) VALUES (LEFT(v_region, 6), v_metric, v_delta)
        ON DUPLICATE KEY UPDATE n = n + v_delta;
    INSERT INTO stat_township (township, metric, n) VALUES (LEFT(v_region, 9), v_metric, v_delta)
        ON DUPLICATE KEY UPDATE n = n + v_delta;
END;

-- An organisation's counts, added (delta 1) or taken away (-1).
CREATE PROCEDURE stat_organisation(region VARCHAR(12) CHARACTER SET ascii, level INT,
                                   kind VARCHAR(20) CHARACTER SET ascii, converted_on DATE,
                                   delta INT)
    MODIFIES SQL DATA
BEGIN
    CALL stat_add(region, CONCAT('org.', kind, '.', level), delta);
    IF level = 5 AND kind = 'federation' AND converted_on IS NOT NULL THEN
        CALL stat_add(region, 'converted', delta);
    END IF;
END;

-- A current position's counts that depend on the position alone.
CREATE PROCEDURE stat_office(region VARCHAR(12) CHARACTER SET ascii, org_level INT,
                             role VARCHAR(20) CHARACTER SET ascii, full_time BOOLEAN,
                             in_two_committees BOOLEAN, start_date DATE, delta INT)
    MODIFIES SQL DATA
BEGIN
    CALL stat_add(region, 'cadre', delta);
    CALL stat_add(region, CONCAT('office.', role,
                                 IF(role = 'vice_chair', IF(full_time, '.full', '.part'), '')),
                  delta);
    CALL stat_add(region, CONCAT('added.', YEAR(start_date)), delta);
    IF org_level = 5 AND role IN ('chair', 'congress_director') THEN
        CALL stat_add(region, 'village_chair', delta);
        IF in_two_committees THEN
            CALL stat_add(region, 'village_chair.in_two', delta);
        END IF;
    END IF;
END;

-- A current position's counts that depend on its holder.
CREATE PROCEDURE stat_holder(region VARCHAR(12) CHARACTER SET ascii, birth_date DATE,
                             education VARCHAR(20) CHARACTER SET ascii,
                             political_status VARCHAR(20) CHARACTER SET ascii,
                             last_training_on DATE, delta INT)
    MODIFIES SQL DATA
BEGIN
    CALL stat_add(region, CONCAT('born.', YEAR(birth_date)), delta);
    CALL stat_add(region, CONCAT('education.', education), delta);
    IF political_status IN ('cpc_member', 'cpc_probationary') THEN
        CALL stat_add(region, 'party', delta);
    END IF;
    IF last_training_on IS NOT NULL THEN
        CALL stat_add(region, CONCAT('trained.', YEAR(last_training_on)), delta);
    END IF;
END;

-- Both, for the position p held by person s.
CREATE PROCEDURE stat_position(p_region VARCHAR(12) CHARACTER SET ascii, p_level INT,
                               p_role VARCHAR(20) CHARACTER SET ascii, p_full_time BOOLEAN,
                               p_in_two BOOLEAN, p_start DATE, p_person BIGINT UNSIGNED, delta INT)
    MODIFIES SQL DATA
BEGIN
    DECLARE s_birth, s_trained DATE;
    DECLARE s_education, s_political VARCHAR(20) CHARACTER SET ascii;
    SELECT birth_date, education, political_status, last_training_on
        INTO s_birth, s_education, s_political, s_trained FROM person WHERE id = p_person;
    CALL stat_office(p_region, p_level, p_role, p_full_time, p_in_two, p_start, delta);
    CALL stat_holder(p_region, s_birth, s_education, s_political, s_trained, delta);
END;

CREATE TRIGGER organisation_stat_insert AFTER INSERT ON organisation FOR EACH ROW
BEGIN
    IF @stat_deferred IS NULL THEN
        CALL stat_organisation(NEW.region, NEW.level, NEW.kind, NEW.converted_on, 1);
    END IF;
END;

CREATE TRIGGER organisation_stat_update AFTER UPDATE ON organisation FOR EACH ROW
BEGIN
    IF @stat_deferred IS NULL AND NOT (NEW.region <=> OLD.region AND NEW.level <=> OLD.level
            AND NEW.kind <=> OLD.kind AND NEW.converted_on <=> OLD.converted_on) THEN
        CALL stat_organisation(OLD.region, OLD.level, OLD.kind, OLD.converted_on, -1);
        CALL stat_organisation(NEW.region, NEW.level, NEW.kind, NEW.converted_on, 1);
    END IF;
END;

CREATE TRIGGER organisation_stat_delete AFTER DELETE ON organisation FOR EACH ROW
BEGIN
    IF @stat_deferred IS NULL THEN
        CALL stat_organisation(OLD.region, OLD.level, OLD.kind, OLD.converted_on, -1);
    END IF;
END;

CREATE TRIGGER position_stat_insert AFTER INSERT ON position FOR EACH ROW
BEGIN
    IF @stat_deferred IS NULL AND NEW.current THEN
        CALL stat_position(NEW.region, NEW.org_level, NEW.role, NEW.full_time,
                           NEW.in_two_committees, NEW.start_date, NEW.person_id, 1);
    END IF;
END;

-- Ending a position is the usual update; renaming a person touches person_name only, which
-- no count depends on.
CREATE TRIGGER position_stat_update AFTER UPDATE ON position FOR EACH ROW
BEGIN
    IF @stat_deferred IS NULL AND NOT (NEW.current <=> OLD.current AND NEW.region <=> OLD.region
            AND NEW.org_level <=> OLD.org_level AND NEW.role <=> OLD.role
            AND NEW.full_time <=> OLD.full_time
            AND NEW.in_two_committees <=> OLD.in_two_committees
            AND NEW.start_date <=> OLD.start_date AND NEW.person_id <=> OLD.person_id) THEN
        IF OLD.current THEN
            CALL stat_position(OLD.region, OLD.org_level, OLD.role, OLD.full_time,
                               OLD.in_two_committees, OLD.start_date, OLD.person_id, -1);
        END IF;
        IF NEW.current THEN
            CALL stat_position(NEW.region, NEW.org_level, NEW.role, NEW.full_time,
                               NEW.in_two_committees, NEW.start_date, NEW.person_id, 1);
        END IF;
    END IF;
END;

CREATE TRIGGER position_stat_delete AFTER DELETE ON position FOR EACH ROW
BEGIN
    IF @stat_deferred IS NULL AND OLD.current THEN
        CALL stat_position(OLD.region, OLD.org_level, OLD.role, OLD.full_time,
                           OLD.in_two_committees, OLD.start_date, OLD.person_id, -1);
    END IF;
END;

-- A change of a holder's age, education, party or training moves the counts of each of her
-- current positions.
CREATE TRIGGER person_stat_update AFTER UPDATE ON person FOR EACH ROW
BEGIN
    DECLARE done BOOLEAN DEFAULT FALSE;
    DECLARE p_region VARCHAR(12) CHARACTER SET ascii;
    DECLARE held CURSOR FOR SELECT region FROM position WHERE person_id = NEW.id AND current;
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;
    IF @stat_deferred IS NULL AND NOT (NEW.birth_date <=> OLD.birth_date
            AND NEW.education <=> OLD.education
            AND NEW.political_status <=> OLD.political_status
            AND NEW.last_training_on <=> OLD.last_training_on) THEN
        OPEN held;
        holders: LOOP
            FETCH held INTO p_region;
            IF done THEN
                LEAVE holders;
            END IF;
            CALL stat_holder(p_region, OLD.birth_date, OLD.education, OLD.political_status,
                             OLD.last_training_on, -1);
            CALL stat_holder(p_region, NEW.birth_date, NEW.education, NEW.political_status,
                             NEW.last_training_on, 1);
        END LOOP;
        CLOSE held;
    END IF;
END;

-- The same counts, counted from the tables of the caller's jurisdiction, per region: what a
-- township and a village are answered from, and what stat_county and stat_township must always
-- equal (the statistics test compares them). A condition on region is pushed into every branch, so a
-- subtree reads only its index ranges.
CREATE VIEW my_stat_recount AS
    SELECT region, CONCAT('org.', kind, '.', level) AS metric, COUNT(*) AS n
        FROM my_organisation GROUP BY region, kind, level
    UNION ALL
    SELECT region, 'converted', COUNT(*) FROM my_organisation
        WHERE level = 5 AND kind = 'federation' AND converted_on IS NOT NULL GROUP BY region
    UNION ALL
    SELECT region, 'cadre', COUNT(*) FROM my_position WHERE current = 1 GROUP BY region
    UNION ALL
    SELECT region, CONCAT('office.', role, IF(role = 'vice_chair', IF(full_time, '.full', '.part'), '')),
        COUNT(*) FROM my_position WHERE current = 1 GROUP BY region, role, full_time
    UNION ALL
    SELECT region, CONCAT('added.', YEAR(start_date)), COUNT(*) FROM my_position
        WHERE current = 1 GROUP BY region, YEAR(start_date)
    UNION ALL
    SELECT region, 'village_chair', COUNT(*) FROM my_position
        WHERE current = 1 AND org_level = 5 AND role IN ('chair', 'congress_director')
        GROUP BY region
    UNION ALL
    SELECT region, 'village_chair.in_two', COUNT(*) FROM my_position
        WHERE current = 1 AND org_level = 5 AND role IN ('chair', 'congress_director')
        AND in_two_committees GROUP BY region
    UNION ALL
    SELECT p.region, CONCAT('born.', YEAR(s.birth_date)), COUNT(*)
        FROM my_position p JOIN my_person s ON s.id = p.person_id
        WHERE p.current = 1 GROUP BY p.region, YEAR(s.birth_date)
    UNION ALL
    SELECT p.region, CONCAT('education.', s.education), COUNT(*)
        FROM my_position p JOIN my_person s ON s.id = p.person_id
        WHERE p.current = 1 GROUP BY p.region, s.education
    UNION ALL
    SELECT p.region, 'party', COUNT(*)
        FROM my_position p JOIN my_person s ON s.id = p.person_id
        WHERE p.current = 1 AND s.political_status IN ('cpc_member', 'cpc_probationary')
        GROUP BY p.region
    UNION ALL
    SELECT p.region, CONCAT('trained.', YEAR(s.last_training_on)), COUNT(*)
        FROM my_position p JOIN my_person s ON s.id = p.person_id
        WHERE p.current = 1 AND s.last_training_on IS NOT NULL
        GROUP BY p.region, YEAR(s.last_training_on);

CREATE VIEW my_stat_county AS
    SELECT * FROM stat_county WHERE county LIKE CONCAT(jurisdiction(), '%');
CREATE VIEW my_stat_township AS
    SELECT * FROM stat_township WHERE township LIKE CONCAT(jurisdiction(), '%');

-- The counts of what exists already: with @jurisdiction '' (which the application never sets)
-- the views hold everything.
SET @jurisdiction = '';
INSERT INTO stat_county (county, metric, n)
    SELECT LEFT(region, 6), metric, SUM(n) FROM my_stat_recount GROUP BY LEFT(region, 6), metric;
INSERT INTO stat_township (township, metric, n)
    SELECT LEFT(region, 9), metric, SUM(n) FROM my_stat_recount GROUP BY LEFT(region, 9), metric;
SET @jurisdiction = NULL;
