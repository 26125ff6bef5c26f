-- The roster reads its holders from position alone: the person's columns that a roster row shows
-- or filters on are repeated in position, kept by triggers whoever writes (the API, the
-- generator, an import), and position_roster holds them, so a county's default page is one range
-- of that index and a primary-key read of each organisation.
--
-- Since migration 021 the positions came from the index alone, but each of a page's 50 holders
-- was still read by primary key from person, a 7.8-million-row table: on the national data
-- (libmariadb loop, a county's page with two filters, seven interleaved rounds) those reads were
-- 86 of the statement's 234 us, nearly as much as the positions themselves (91). Through nginx,
-- four interleaved runs of the county's page at 32 connections with the view of migration 020
-- and this one: 3,188-3,477 -> 3,859-4,192 pages/s, MariaDB's CPU 0.34-0.35 -> 0.26-0.27 ms a
-- page. The repeated columns cost disk and buffer pool (about 80 bytes a position in the table
-- and as much again in the index) and, when a person's copied columns change, an update of her
-- positions. The ID number and the mobile are among them: they are read through the same views,
-- limited to the same jurisdiction and masked by the same code as the person's own.
ALTER TABLE position
    ADD COLUMN person_region VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT ''
        COMMENT 'the person''s columns from here to person_last_training_on: kept by triggers'
        AFTER person_name,
    ADD COLUMN person_gender VARCHAR(6) CHARACTER SET ascii COLLATE ascii_bin NULL
        AFTER person_region,
    ADD COLUMN person_birth_date DATE NULL AFTER person_gender,
    ADD COLUMN person_education VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NULL
        AFTER person_birth_date,
    ADD COLUMN person_political_status VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NULL
        AFTER person_education,
    ADD COLUMN person_id_number CHAR(18) CHARACTER SET ascii COLLATE ascii_bin NULL
        AFTER person_political_status,
    ADD COLUMN person_mobile CHAR(11) CHARACTER SET ascii COLLATE ascii_bin NULL
        AFTER person_id_number,
    ADD COLUMN person_last_training_on DATE NULL AFTER person_mobile;

-- The triggers come before the copy, so that what is written while it runs is kept as well.
-- A position takes the columns of its person when it is inserted, and again should it be given
-- to another person (the statistics' triggers allow for that too).
CREATE PROCEDURE person_columns(IN person_id BIGINT UNSIGNED, OUT p_name VARCHAR(64),
        OUT p_region VARCHAR(12) CHARACTER SET ascii, OUT p_gender VARCHAR(6) CHARACTER SET ascii,
        OUT p_birth DATE, OUT p_education VARCHAR(20) CHARACTER SET ascii,
        OUT p_political VARCHAR(20) CHARACTER SET ascii, OUT p_id_number CHAR(18) CHARACTER SET ascii,
        OUT p_mobile CHAR(11) CHARACTER SET ascii, OUT p_trained DATE)
    READS SQL DATA
    SELECT name, region, gender, birth_date, education, political_status, id_number, mobile,
           last_training_on
        INTO p_name, p_region, p_gender, p_birth, p_education, p_political, p_id_number,
             p_mobile, p_trained
        FROM person WHERE id = person_id;

DROP TRIGGER position_person_name;
CREATE TRIGGER position_person_columns BEFORE INSERT ON position FOR EACH ROW
    CALL person_columns(NEW.person_id, NEW.person_name, NEW.person_region, NEW.person_gender,
                        NEW.person_birth_date, NEW.person_education, NEW.person_political_status,
                        NEW.person_id_number, NEW.person_mobile, NEW.person_last_training_on);

CREATE TRIGGER position_person_changed BEFORE UPDATE ON position FOR EACH ROW
    IF NEW.person_id <> OLD.person_id THEN
        CALL person_columns(NEW.person_id, NEW.person_name, NEW.person_region, NEW.person_gender,
                            NEW.person_birth_date, NEW.person_education,
                            NEW.person_political_status, NEW.person_id_number, NEW.person_mobile,
                            NEW.person_last_training_on);
    END IF;

-- BINARY: the name's collation ignores case, a renaming that only changes case must follow too.
DROP TRIGGER person_name_to_positions;
CREATE TRIGGER person_columns_to_positions AFTER UPDATE ON person FOR EACH ROW
    UPDATE position
    SET person_name = NEW.name, person_region = NEW.region, person_gender = NEW.gender,
        person_birth_date = NEW.birth_date, person_education = NEW.education,
        person_political_status = NEW.political_status, person_id_number = NEW.id_number,
        person_mobile = NEW.mobile, person_last_training_on = NEW.last_training_on
    WHERE NOT (BINARY NEW.name <=> BINARY OLD.name AND NEW.region <=> OLD.region
               AND NEW.gender <=> OLD.gender AND NEW.birth_date <=> OLD.birth_date
               AND NEW.education <=> OLD.education
               AND NEW.political_status <=> OLD.political_status
               AND NEW.id_number <=> OLD.id_number AND NEW.mobile <=> OLD.mobile
               AND NEW.last_training_on <=> OLD.last_training_on)
      AND person_id = NEW.id;

UPDATE position p JOIN person s ON s.id = p.person_id
SET p.person_region = s.region, p.person_gender = s.gender, p.person_birth_date = s.birth_date,
    p.person_education = s.education, p.person_political_status = s.political_status,
    p.person_id_number = s.id_number, p.person_mobile = s.mobile,
    p.person_last_training_on = s.last_training_on;

ALTER TABLE position
    DROP INDEX position_roster,
    ADD INDEX position_roster (current, region, id, person_id, organisation_id, role,
                               in_two_committees, full_time, org_kind, org_level, start_date,
                               term_start, person_name, person_region, person_gender,
                               person_birth_date, person_education, person_political_status,
                               person_id_number, person_mobile, person_last_training_on);

-- The two views of migration 020, their person's columns now from position. The person's
-- region keeps its condition: a holder entered in another jurisdiction (a position given to her
-- from above) stays hidden from a user who cannot see her record.
CREATE OR REPLACE VIEW my_roster AS
    SELECT p.id, p.person_id, p.person_name AS name, p.person_gender AS gender,
           p.person_birth_date AS birth_date, p.person_education AS education,
           p.person_political_status AS political_status, p.person_id_number AS id_number,
           p.person_mobile AS mobile, p.person_last_training_on AS last_training_on,
           p.organisation_id, o.name AS organisation_name, p.region, p.province, p.city,
           p.org_level, p.org_kind, p.role, p.full_time, p.in_two_committees, p.start_date,
           p.term_start, p.current, p.person_name
    FROM position p
    STRAIGHT_JOIN organisation o FORCE INDEX (PRIMARY) ON o.id = p.organisation_id
    WHERE p.region LIKE CONCAT(jurisdiction(), '%')
      AND p.person_region LIKE CONCAT(jurisdiction(), '%')
      AND o.region LIKE CONCAT(jurisdiction(), '%');

CREATE OR REPLACE VIEW my_roster_in_region_order AS
    SELECT p.id, p.person_id, p.person_name AS name, p.person_gender AS gender,
           p.person_birth_date AS birth_date, p.person_education AS education,
           p.person_political_status AS political_status, p.person_id_number AS id_number,
           p.person_mobile AS mobile, p.person_last_training_on AS last_training_on,
           p.organisation_id, o.name AS organisation_name, p.region, p.province, p.city,
           p.org_level, p.org_kind, p.role, p.full_time, p.in_two_committees, p.start_date,
           p.term_start, p.current, p.person_name
    FROM position p FORCE INDEX (position_roster)
    STRAIGHT_JOIN organisation o FORCE INDEX (PRIMARY) ON o.id = p.organisation_id
    WHERE p.region LIKE CONCAT(jurisdiction(), '%')
      AND p.person_region LIKE CONCAT(jurisdiction(), '%')
      AND o.region LIKE CONCAT(jurisdiction(), '%');

-- A view keeps the column list it was made with: made again, it has the new columns.
CREATE OR REPLACE VIEW my_position AS
    SELECT * FROM position WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
