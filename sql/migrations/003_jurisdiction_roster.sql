-- Organisations and cadre rosters, and the one mechanism that limits every reading and writing
-- of business data to the caller's jurisdiction.
--
-- Jurisdiction: the application sets the user variable @jurisdiction to the caller's region
-- code on its connection before a handler runs (fcgi/guard.c), and reads and writes business
-- data only through the my_* views below, which keep the rows whose region code starts with it.
-- The application's database account is granted the views and not the tables behind them
-- (sql/grants.sql), so a query that forgot the jurisdiction cannot be written at all. WITH CHECK
-- OPTION refuses an INSERT or UPDATE that would put a row outside. Unset, @jurisdiction is NULL
-- and the views are empty: closed by default. The function exists because a view may not read
-- a user variable directly; DETERMINISTIC lets the optimiser turn the LIKE into a range scan.
CREATE FUNCTION jurisdiction() RETURNS VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin
    DETERMINISTIC NO SQL RETURN @jurisdiction;

-- A federation for every region (or a village's women's congress until it converts), and the
-- women's committees of agencies, institutions and new organisations, which hang under the
-- township or county where they are registered.
CREATE TABLE organisation (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    region       VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    level        TINYINT UNSIGNED NOT NULL COMMENT 'of region: 1 province .. 5 village',
    kind         VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    host_kind    VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NULL
                 COMMENT 'committees: agency, institution, enterprise, social_org',
    name         VARCHAR(200) NOT NULL,
    converted_on DATE NULL COMMENT '会改联: when a village congress became a federation',
    term_start   DATE NULL,
    term_years   TINYINT UNSIGNED NULL,
    term_end     DATE AS (term_start + INTERVAL term_years YEAR) STORED,
    village_committee_election DATE NULL
                 COMMENT 'villages and communities re-elect with their village committee',
    next_due     DATE AS (IF(level = 5 AND village_committee_election IS NOT NULL,
                             village_committee_election, term_start + INTERVAL term_years YEAR))
                 STORED,
    -- One federation or congress per region; committees are many.
    federation_of VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin
                 AS (IF(kind IN ('federation', 'womens_congress'), region, NULL)) STORED,
    version      INT UNSIGNED NOT NULL DEFAULT 1,
    created_at   DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at   DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    UNIQUE KEY organisation_federation (federation_of),
    KEY organisation_subtree (region, id),
    KEY organisation_due (next_due, region),
    CONSTRAINT organisation_kind CHECK (kind IN ('federation', 'womens_congress', 'womens_committee')),
    CONSTRAINT organisation_host CHECK ((kind = 'womens_committee') = (host_kind IS NOT NULL)
        AND (host_kind IS NULL OR host_kind IN ('agency', 'institution', 'enterprise', 'social_org'))),
    CONSTRAINT organisation_term CHECK (term_years IS NULL OR term_years BETWEEN 3 AND 5),
    CONSTRAINT organisation_term_whole CHECK ((term_start IS NULL) = (term_years IS NULL)),
    CONSTRAINT organisation_congress CHECK (kind <> 'womens_congress' OR level = 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A cadre as a person. region is where she is on the roll: the region of the organisation she
-- was first entered under; it decides who may see her record.
CREATE TABLE person (
    id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    region           VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name             VARCHAR(64) NOT NULL,
    gender           VARCHAR(6) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    birth_date       DATE NOT NULL,
    ethnicity        VARCHAR(16) NOT NULL DEFAULT '汉族',
    education        VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    political_status VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id_number        CHAR(18) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    mobile           CHAR(11) CHARACTER SET ascii COLLATE ascii_bin NULL,
    occupation       VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'other',
    last_training_on DATE NULL COMMENT 'kept with training in one transaction',
    version          INT UNSIGNED NOT NULL DEFAULT 1,
    created_at       DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at       DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    UNIQUE KEY person_id_number (id_number),
    KEY person_subtree (region, id),
    KEY person_name (name),
    CONSTRAINT person_gender CHECK (gender IN ('female', 'male')),
    CONSTRAINT person_education CHECK (education IN ('primary', 'junior_high', 'senior_high',
        'vocational', 'junior_college', 'bachelor', 'master', 'doctorate')),
    CONSTRAINT person_political CHECK (political_status IN ('cpc_member', 'cpc_probationary',
        'league_member', 'democratic_party', 'masses')),
    CONSTRAINT person_occupation CHECK (occupation IN ('teacher', 'village_doctor', 'former_cadre',
        'capable_woman', 'entrepreneur', 'volunteer_leader', 'cultural_leader',
        'student_village_official', 'other'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who holds which office in which organisation, in which term. Ending a position sets end_date;
-- rows are never deleted, so the history stays. region, level and kind repeat the
-- organisation's so that a roster page of a subtree is one range scan with its filters.
CREATE TABLE position (
    id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    person_id         BIGINT UNSIGNED NOT NULL,
    organisation_id   BIGINT UNSIGNED NOT NULL,
    region            VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    org_level         TINYINT UNSIGNED NOT NULL,
    org_kind          VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    role              VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    full_time         BOOLEAN NOT NULL DEFAULT FALSE,
    in_two_committees BOOLEAN NOT NULL DEFAULT FALSE,
    term_start        DATE NULL COMMENT 'the organisation term the position belongs to',
    start_date        DATE NOT NULL,
    end_date          DATE NULL,
    end_reason        VARCHAR(200) NULL,
    succeeds_id       BIGINT UNSIGNED NULL COMMENT 'the position this one took over from',
    current           BOOLEAN AS (end_date IS NULL) STORED,
    version           INT UNSIGNED NOT NULL DEFAULT 1,
    created_at        DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at        DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    KEY position_roster (current, region, id),
    KEY position_person (person_id, start_date),
    KEY position_organisation (organisation_id, current, start_date),
    CONSTRAINT position_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT position_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    CONSTRAINT position_succeeds FOREIGN KEY (succeeds_id) REFERENCES position (id),
    CONSTRAINT position_role CHECK (role IN ('chair', 'vice_chair', 'standing_member',
        'executive_member', 'congress_director', 'liaison_officer')),
    CONSTRAINT position_dates CHECK (end_date IS NULL OR end_date >= start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE training (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    person_id       BIGINT UNSIGNED NOT NULL,
    region          VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'the person''s',
    held_on         DATE NOT NULL,
    course          VARCHAR(200) NOT NULL,
    hours           DECIMAL(5, 1) NOT NULL,
    organiser_level TINYINT UNSIGNED NOT NULL COMMENT '1 province .. 5 village',
    created_at      DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    KEY training_person (person_id, held_on),
    KEY training_subtree (region, id),
    CONSTRAINT training_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT training_hours CHECK (hours > 0 AND hours <= 1000),
    CONSTRAINT training_level CHECK (organiser_level BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The views the application works through. Each is one table, so it can be written through.
CREATE VIEW my_region AS
    SELECT * FROM region WHERE code LIKE CONCAT(jurisdiction(), '%');
CREATE VIEW my_organisation AS
    SELECT * FROM organisation WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_person AS
    SELECT * FROM person WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_position AS
    SELECT * FROM position WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_training AS
    SELECT * FROM training WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_audit_log AS
    SELECT * FROM audit_log WHERE region LIKE CONCAT(jurisdiction(), '%');
