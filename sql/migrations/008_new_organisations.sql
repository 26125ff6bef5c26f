-- New economic and social organisations (两新组织): the registry, how each is covered (a women's
-- committee or a liaison officer), the county executive members linked to the committees and
-- their visits. Like every business table these are reached only through my_* views WITH CHECK
-- OPTION that keep the caller's jurisdiction (see migration 003 and sql/grants.sql).

-- An organisation as registered under a township or county. coverage says what it has: none,
-- a women's committee (committee_id, an organisation of the roster) or a liaison officer
-- (liaison_position_id, a position in the federation of its region).
CREATE TABLE new_org (
    id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    region              VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                        COMMENT 'the township or county where it is registered',
    name                VARCHAR(200) NOT NULL,
    credit_code         CHAR(18) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                        COMMENT 'unified social credit code, GB 32100-2015',
    kind                VARCHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    sector              VARCHAR(60) NOT NULL,
    employees           INT UNSIGNED NOT NULL COMMENT 'fixed employees',
    female_employees    INT UNSIGNED NOT NULL COMMENT 'female fixed employees',
    party_rating        VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'none',
    stable_operation    BOOLEAN NOT NULL DEFAULT FALSE COMMENT 'two stable, one suitable',
    stable_female_workforce BOOLEAN NOT NULL DEFAULT FALSE,
    suitable_chair      BOOLEAN NOT NULL DEFAULT FALSE,
    contact_name        VARCHAR(64) NULL,
    contact_phone       VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NULL,
    coverage            VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'none',
    committee_id        BIGINT UNSIGNED NULL,
    liaison_position_id BIGINT UNSIGNED NULL,
    covered_on          DATE NULL,
    link_count          INT UNSIGNED NOT NULL DEFAULT 0
                        COMMENT 'current executive-member links, kept by triggers',
    -- The work list's order (fcgi/new_org_rules.c says the same in C): Party organisations
    -- rated excellent first, then up to standard, then none; within each, those warranting a
    -- committee that can be set up now, then those warranting one whose conditions fail, then
    -- those for a liaison officer.
    work_order          TINYINT UNSIGNED AS (
                            FIELD(party_rating, 'excellent', 'up_to_standard', 'none') * 3
                            + IF(female_employees < 30, 2,
                                 IF(stable_operation AND stable_female_workforce
                                    AND suitable_chair, 0, 1))) STORED,
    version             INT UNSIGNED NOT NULL DEFAULT 1,
    created_at          DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at          DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    UNIQUE KEY new_org_credit_code (credit_code),
    KEY new_org_subtree (region, id),
    -- A township's work list (coverage 'none', its region, work_order, id) is one range of this
    -- index read in order; the statistics by child region read it as a covering index.
    KEY new_org_worklist (coverage, region, work_order, id),
    -- The statistics of a subtree by child region read this one alone.
    KEY new_org_region_coverage (region, coverage),
    KEY new_org_committee (committee_id),
    CONSTRAINT new_org_committee FOREIGN KEY (committee_id) REFERENCES organisation (id),
    CONSTRAINT new_org_liaison FOREIGN KEY (liaison_position_id) REFERENCES position (id),
    CONSTRAINT new_org_kind CHECK (kind IN ('economic', 'social')),
    CONSTRAINT new_org_rating CHECK (party_rating IN ('none', 'up_to_standard', 'excellent')),
    CONSTRAINT new_org_employees CHECK (female_employees <= employees),
    CONSTRAINT new_org_coverage CHECK (coverage IN ('none', 'committee', 'liaison_officer')
        AND (coverage <> 'committee' OR committee_id IS NOT NULL)
        AND (coverage <> 'liaison_officer' OR liaison_position_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A county executive member linked to a new organisation's committee (挂钩联系). region is the
-- new organisation's, so the link is seen wherever the committee is. Ending a link sets
-- end_date; rows are never deleted. open is 1 while current, so one person has one current link
-- to a committee at most.
CREATE TABLE new_org_link (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    person_id   BIGINT UNSIGNED NOT NULL,
    new_org_id  BIGINT UNSIGNED NOT NULL,
    region      VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    start_date  DATE NOT NULL,
    end_date    DATE NULL,
    open        TINYINT AS (IF(end_date IS NULL, 1, NULL)) STORED,
    version     INT UNSIGNED NOT NULL DEFAULT 1,
    created_at  DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at  DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    UNIQUE KEY new_org_link_once (person_id, new_org_id, open),
    KEY new_org_link_person (person_id, end_date),
    KEY new_org_link_org (new_org_id, end_date),
    KEY new_org_link_subtree (region, id),
    CONSTRAINT new_org_link_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT new_org_link_org FOREIGN KEY (new_org_id) REFERENCES new_org (id),
    CONSTRAINT new_org_link_dates CHECK (end_date IS NULL OR end_date >= start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A visit of the linked executive member to the committee. region repeats the link's.
CREATE TABLE new_org_visit (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    link_id     BIGINT UNSIGNED NOT NULL,
    region      VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    visited_on  DATE NOT NULL,
    notes       VARCHAR(2000) NOT NULL DEFAULT '',
    recorded_by VARCHAR(64) NOT NULL COMMENT 'the login that recorded it',
    created_at  DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    KEY new_org_visit_link (link_id, visited_on),
    KEY new_org_visit_subtree (region, id),
    CONSTRAINT new_org_visit_link FOREIGN KEY (link_id) REFERENCES new_org_link (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- link_count follows the links whoever writes them (the API, an import, a generator), so the
-- list of committees without a link is a filter on a column, not a subquery per row.
CREATE TRIGGER new_org_link_added AFTER INSERT ON new_org_link FOR EACH ROW
    UPDATE new_org SET link_count = link_count + 1 WHERE id = NEW.new_org_id AND NEW.end_date IS NULL;

CREATE TRIGGER new_org_link_ended AFTER UPDATE ON new_org_link FOR EACH ROW
    UPDATE new_org SET link_count = link_count - 1
    WHERE id = NEW.new_org_id AND OLD.end_date IS NULL AND NEW.end_date IS NOT NULL;

CREATE TRIGGER new_org_link_deleted AFTER DELETE ON new_org_link FOR EACH ROW
    UPDATE new_org SET link_count = link_count - 1 WHERE id = OLD.new_org_id AND OLD.end_date IS NULL;

CREATE VIEW my_new_org AS
    SELECT * FROM new_org WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_new_org_link AS
    SELECT * FROM new_org_link WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_new_org_visit AS
    SELECT * FROM new_org_visit WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
