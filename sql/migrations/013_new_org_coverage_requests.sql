-- Covering a new organisation (两新组织) goes through the chain engine (issue 7): a clerk of the
-- township or county where it is registered proposes its women's committee or its liaison
-- officer, and the chain decides. Only when the request is completed does the committee become
-- an organisation of the roster (with its term), or the liaison officer's position open; a
-- rejected or withdrawn proposal leaves the organisation uncovered.
--
-- The engine's requests are about an organisation of the roster (workflow_request.organisation_id),
-- which a new organisation is not: a coverage request is made to the federation of the region
-- where the new organisation is registered, so its chain is that federation's (class federation,
-- the level of the township or county) and it is seen in that region's subtree like any other
-- request. Its subject_id is the new organisation (new_org.id); what it proposes is the row of
-- new_org_coverage_request whose request_id is the request's.

-- A proposal. stage: proposed (its request goes up the chain), approved (the coverage is
-- recorded: committee_id or liaison_position_id), rejected, withdrawn. One open proposal per
-- new organisation (open_for). A committee names its term and, optionally, the roster person who
-- is to chair it; a liaison officer is a roster person (person_id) or one entered new
-- (person_data, her record as POST /cadres takes it, entered on the roll on approval).
CREATE TABLE new_org_coverage_request (
    id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    new_org_id          BIGINT UNSIGNED NOT NULL,
    region              VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                        COMMENT 'the new organisation''s',
    kind                VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stage               VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                        DEFAULT 'proposed',
    open_for            BIGINT UNSIGNED AS (IF(stage = 'proposed', new_org_id, NULL)) STORED,
    start_date          DATE NOT NULL COMMENT 'the committee''s term start, or the officer''s',
    term_years          TINYINT UNSIGNED NULL,
    name                VARCHAR(200) NULL COMMENT 'the committee''s; NULL: the organisation''s name + 妇女委员会',
    chair_person_id     BIGINT UNSIGNED NULL,
    person_id           BIGINT UNSIGNED NULL,
    person_name         VARCHAR(64) NULL,
    person_data         TEXT NULL CHECK (person_data IS NULL OR JSON_VALID(person_data)),
    note                VARCHAR(1000) NULL,
    request_id          BIGINT UNSIGNED NULL,
    committee_id        BIGINT UNSIGNED NULL,
    liaison_position_id BIGINT UNSIGNED NULL,
    version             INT UNSIGNED NOT NULL DEFAULT 1,
    created_at          DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at          DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    UNIQUE KEY new_org_coverage_request_open (open_for),
    UNIQUE KEY new_org_coverage_request_request (request_id),
    KEY new_org_coverage_request_org (new_org_id, id),
    KEY new_org_coverage_request_subtree (region, id),
    CONSTRAINT new_org_coverage_request_org FOREIGN KEY (new_org_id) REFERENCES new_org (id),
    CONSTRAINT new_org_coverage_request_chair FOREIGN KEY (chair_person_id) REFERENCES person (id),
    CONSTRAINT new_org_coverage_request_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT new_org_coverage_request_kind CHECK (kind IN ('committee', 'liaison_officer')),
    CONSTRAINT new_org_coverage_request_stage CHECK (stage IN ('proposed', 'approved',
        'rejected', 'withdrawn')),
    CONSTRAINT new_org_coverage_request_term CHECK (term_years IS NULL OR term_years BETWEEN 3 AND 5),
    CONSTRAINT new_org_coverage_request_who CHECK (kind = 'committee'
        OR ((person_id IS NULL) <> (person_data IS NULL)))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE VIEW my_new_org_coverage_request AS
    SELECT * FROM new_org_coverage_request WHERE region LIKE CONCAT(jurisdiction(), '%')
    WITH CHECK OPTION;

-- The default chains: the township (or the county, for an organisation registered there)
-- proposes, the next level up approves. Data like every chain: a province's admin sets her
-- province's own with PUT /api/v1/workflow/chains (kind new_org_committee or new_org_liaison,
-- class federation, level township or county).
INSERT INTO workflow_chain (region, kind, org_class, org_level) VALUES
    ('', 'new_org_committee', 'federation', 4), ('', 'new_org_committee', 'federation', 3),
    ('', 'new_org_liaison', 'federation', 4), ('', 'new_org_liaison', 'federation', 3);
INSERT INTO workflow_chain_step (chain_id, seq, region, up, role, mode)
    SELECT id, 1, '', 1, 'approver', 'approve' FROM workflow_chain
    WHERE region = '' AND kind IN ('new_org_committee', 'new_org_liaison');
