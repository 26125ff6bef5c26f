-- Workflows and their first user, re-election (换届).
--
-- A chain is data: for a kind of request and the level and class of the organisation it is
-- about, the ordered steps it walks, each naming how many levels above the organisation's
-- region it is decided (0 its own region: a committee's plan goes to the federation where the
-- committee is registered; 1 the parent: a village plan goes to the township), the role that
-- acts there and whether the step approves (approve, reject, return) or only takes a filing
-- (备案: acknowledge, or return for correction; never reject). Region '' holds the defaults; a
-- province's code holds that province's own chains, which win over the defaults.
--
-- A request copies the steps of its chain when it is first submitted, with the region each
-- step is decided in worked out from the organisation's, so a later change of the chain never
-- changes a request under way. The step waiting now is repeated on the request (pending_*),
-- so an inbox is one range of an index.
CREATE TABLE workflow_chain (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    region      VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT ''
                COMMENT '"" for the defaults, or the province whose own chain this is',
    kind        VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    org_class   VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                COMMENT 'federation (a women''s congress too) or committee',
    org_level   TINYINT UNSIGNED NOT NULL COMMENT 'of the originating organisation: 1 .. 5',
    version     INT UNSIGNED NOT NULL DEFAULT 1,
    updated_at  DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    UNIQUE KEY workflow_chain_key (kind, org_class, org_level, region),
    CONSTRAINT workflow_chain_class CHECK (org_class IN ('federation', 'committee')),
    CONSTRAINT workflow_chain_level CHECK (org_level BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE workflow_chain_step (
    chain_id    BIGINT UNSIGNED NOT NULL,
    seq         TINYINT UNSIGNED NOT NULL,
    region      VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT ''
                COMMENT 'the chain''s, for the view',
    up          TINYINT UNSIGNED NOT NULL COMMENT 'levels above the organisation''s region',
    role        VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    mode        VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (chain_id, seq),
    CONSTRAINT workflow_chain_step_chain FOREIGN KEY (chain_id) REFERENCES workflow_chain (id),
    CONSTRAINT workflow_chain_step_seq CHECK (seq BETWEEN 1 AND 9),
    CONSTRAINT workflow_chain_step_up CHECK (up BETWEEN 0 AND 4),
    CONSTRAINT workflow_chain_step_role CHECK (role IN ('clerk', 'approver', 'admin')),
    CONSTRAINT workflow_chain_step_mode CHECK (mode IN ('approve', 'file'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A request about an organisation: a draft until submitted, then in_progress step by step;
-- returned (to the originator, who resubmits), and in the end completed (every step approved
-- or filed), rejected or withdrawn. subject_id is the row of the kind's own table (for the
-- kinds reelection_plan and reelection_result, a reelection).
CREATE TABLE workflow_request (
    id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    kind              VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    subject_id        BIGINT UNSIGNED NOT NULL,
    organisation_id   BIGINT UNSIGNED NOT NULL,
    region            VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                      COMMENT 'the organisation''s',
    org_level         TINYINT UNSIGNED NOT NULL,
    state             VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'draft',
    current_step      TINYINT UNSIGNED NULL,
    step_count        TINYINT UNSIGNED NOT NULL DEFAULT 0,
    decisions         INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'a withdrawal comes before the first',
    pending_region    VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NULL
                      COMMENT 'where the waiting step is decided; NULL when none waits',
    pending_role      VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NULL,
    pending_assignee  VARCHAR(256) NULL COMMENT 'set by a transfer: only this user decides',
    pending_since     DATETIME(3) NULL,
    originator        VARCHAR(256) NOT NULL,
    originator_name   VARCHAR(256) NOT NULL DEFAULT '',
    originator_region VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    submitted_at      DATETIME(3) NULL,
    finished_at       DATETIME(3) NULL,
    urged_at          DATETIME(3) NULL,
    version           INT UNSIGNED NOT NULL DEFAULT 1,
    created_at        DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at        DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    KEY workflow_request_subtree (region, id),
    KEY workflow_request_inbox (pending_region, id),
    KEY workflow_request_originator (originator, id),
    KEY workflow_request_subject (kind, subject_id),
    KEY workflow_request_waiting (pending_since, region) COMMENT 'steps waiting long: oversight',
    CONSTRAINT workflow_request_organisation FOREIGN KEY (organisation_id)
        REFERENCES organisation (id),
    CONSTRAINT workflow_request_state CHECK (state IN ('draft', 'in_progress', 'returned',
        'completed', 'rejected', 'withdrawn'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The steps a request copied from its chain at its first submission.
CREATE TABLE workflow_request_step (
    request_id    BIGINT UNSIGNED NOT NULL,
    seq           TINYINT UNSIGNED NOT NULL,
    region        VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                  COMMENT 'the organisation''s, for the view',
    acting_region VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    level         TINYINT UNSIGNED NOT NULL,
    role          VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    mode          VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    state         VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'waiting'
                  COMMENT 'waiting, pending, approved, acknowledged, returned, rejected',
    decided_by    VARCHAR(256) NULL,
    decided_at    DATETIME(3) NULL,
    comment       VARCHAR(1000) NULL,
    PRIMARY KEY (request_id, seq),
    CONSTRAINT workflow_request_step_request FOREIGN KEY (request_id)
        REFERENCES workflow_request (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The history of a request as its users see it: who did what at which step, when, with which
-- comment. Append-only like the audit log, which gets the same actions in the same transaction;
-- like the audit log it outlives what it tells of (jiceng generate --replace deletes requests),
-- so request_id is no foreign key.
CREATE TABLE workflow_event (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    request_id   BIGINT UNSIGNED NOT NULL,
    region       VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                 COMMENT 'the organisation''s, for the view',
    at           DATETIME(3) NOT NULL,
    actor        VARCHAR(256) NOT NULL,
    actor_name   VARCHAR(256) NOT NULL DEFAULT '',
    actor_region VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    action       VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    step         TINYINT UNSIGNED NULL,
    to_step      TINYINT UNSIGNED NULL COMMENT 'a return: 0 the originator, else the step',
    to_user      VARCHAR(256) NULL COMMENT 'a transfer or a copy: whom to',
    comment      VARCHAR(1000) NULL,
    PRIMARY KEY (id),
    KEY workflow_event_request (request_id, id),
    KEY workflow_event_actor (actor, request_id) COMMENT 'what a user submitted: not in her inbox'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER workflow_event_no_update BEFORE UPDATE ON workflow_event FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'workflow_event is append-only';
CREATE TRIGGER workflow_event_no_delete BEFORE DELETE ON workflow_event FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'workflow_event is append-only';

-- Requests copied to a user for her information (抄送); she finds them in her list while the
-- organisation lies in her jurisdiction.
CREATE TABLE workflow_copy (
    request_id BIGINT UNSIGNED NOT NULL,
    username   VARCHAR(256) NOT NULL,
    region     VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
               COMMENT 'the organisation''s, for the view',
    copied_by  VARCHAR(256) NOT NULL,
    copied_at  DATETIME(3) NOT NULL,
    PRIMARY KEY (request_id, username),
    KEY workflow_copy_user (username, request_id),
    CONSTRAINT workflow_copy_request FOREIGN KEY (request_id) REFERENCES workflow_request (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The default chains (DOMAIN.md): a village or community plan is approved by the township and
-- its result filed there; a township's by the county, and so on up to the city's, decided by
-- the province; a women's committee's plan goes to the federation of the region where the
-- committee is registered, and its result is filed there.
INSERT INTO workflow_chain (region, kind, org_class, org_level) VALUES
    ('', 'reelection_plan', 'federation', 5), ('', 'reelection_result', 'federation', 5),
    ('', 'reelection_plan', 'federation', 4), ('', 'reelection_result', 'federation', 4),
    ('', 'reelection_plan', 'federation', 3), ('', 'reelection_result', 'federation', 3),
    ('', 'reelection_plan', 'federation', 2), ('', 'reelection_result', 'federation', 2),
    ('', 'reelection_plan', 'committee', 4), ('', 'reelection_result', 'committee', 4),
    ('', 'reelection_plan', 'committee', 3), ('', 'reelection_result', 'committee', 3);
INSERT INTO workflow_chain_step (chain_id, seq, region, up, role, mode)
    SELECT id, 1, '', IF(org_class = 'committee', 0, 1), 'approver',
           IF(kind = 'reelection_plan', 'approve', 'file')
    FROM workflow_chain WHERE region = '';

-- Re-elections: the plan (换届方案), and once it is approved the election's result. Both go
-- through a chain as requests of their own. stage: plan (drafted, going up its chain),
-- election (plan approved: the election is held and its result recorded and filed), done (the
-- result went through and the roster rolled over), rejected, withdrawn. One open re-election
-- per organisation.
CREATE TABLE reelection (
    id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    organisation_id   BIGINT UNSIGNED NOT NULL,
    region            VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                      COMMENT 'the organisation''s',
    stage             VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'plan',
    open_for          BIGINT UNSIGNED AS (IF(stage IN ('plan', 'election'), organisation_id,
                                             NULL)) STORED,
    planned_date      DATE NOT NULL,
    term_years        TINYINT UNSIGNED NOT NULL,
    seats_chair       TINYINT UNSIGNED NOT NULL,
    seats_vice_full   TINYINT UNSIGNED NOT NULL,
    seats_vice_part   TINYINT UNSIGNED NOT NULL,
    seats_standing    TINYINT UNSIGNED NOT NULL,
    seats_executive   SMALLINT UNSIGNED NOT NULL,
    note              VARCHAR(1000) NULL,
    plan_request_id   BIGINT UNSIGNED NULL,
    result_request_id BIGINT UNSIGNED NULL,
    election_date     DATE NULL,
    due_on            DATE NULL COMMENT 'when the organisation was due: an election by then was on time',
    version           INT UNSIGNED NOT NULL DEFAULT 1,
    created_at        DATETIME(3) NOT NULL DEFAULT NOW(3),
    updated_at        DATETIME(3) NOT NULL DEFAULT NOW(3),
    PRIMARY KEY (id),
    UNIQUE KEY reelection_open (open_for),
    KEY reelection_subtree (region, id),
    KEY reelection_organisation (organisation_id, id),
    CONSTRAINT reelection_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
    CONSTRAINT reelection_stage CHECK (stage IN ('plan', 'election', 'done', 'rejected',
        'withdrawn')),
    CONSTRAINT reelection_term CHECK (term_years BETWEEN 3 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The candidates of a plan: a person of the roster (person_id), or one entered new (person_data,
-- her record as POST /cadres takes it, entered on the roll if she is elected). The result marks
-- who was elected to which seat, with the votes.
CREATE TABLE reelection_candidate (
    id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    reelection_id     BIGINT UNSIGNED NOT NULL,
    region            VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
                      COMMENT 'the organisation''s',
    seq               SMALLINT UNSIGNED NOT NULL,
    person_id         BIGINT UNSIGNED NULL,
    name              VARCHAR(64) NOT NULL,
    person_data       TEXT NULL CHECK (person_data IS NULL OR JSON_VALID(person_data)),
    seat              VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    in_two_committees BOOLEAN NOT NULL DEFAULT FALSE,
    elected_seat      VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NULL,
    votes             INT UNSIGNED NULL,
    PRIMARY KEY (id),
    UNIQUE KEY reelection_candidate_seq (reelection_id, seq),
    KEY reelection_candidate_subtree (region, id),
    CONSTRAINT reelection_candidate_reelection FOREIGN KEY (reelection_id)
        REFERENCES reelection (id),
    CONSTRAINT reelection_candidate_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT reelection_candidate_who CHECK ((person_id IS NULL) <> (person_data IS NULL)),
    CONSTRAINT reelection_candidate_seat CHECK (seat IN ('chair', 'vice_chair_full_time',
        'vice_chair_part_time', 'standing_member', 'executive_member')
        AND (elected_seat IS NULL OR elected_seat IN ('chair', 'vice_chair_full_time',
        'vice_chair_part_time', 'standing_member', 'executive_member')))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The views. Chains apply to the caller's region from above (the defaults, her province's) and
-- to the regions below it, so their view holds both; it is read-only, and only chains of the
-- caller's own subtree are written, through the my_own_* views. Everything else keeps the
-- caller's jurisdiction like the views of migration 003.
CREATE VIEW my_workflow_chain AS
    SELECT * FROM workflow_chain
    WHERE jurisdiction() LIKE CONCAT(region, '%') OR region LIKE CONCAT(jurisdiction(), '%');
CREATE VIEW my_workflow_chain_step AS
    SELECT * FROM workflow_chain_step
    WHERE jurisdiction() LIKE CONCAT(region, '%') OR region LIKE CONCAT(jurisdiction(), '%');
-- A province's admin changes her province's own chains (region = her region) through these.
CREATE VIEW my_own_workflow_chain AS
    SELECT * FROM workflow_chain WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_own_workflow_chain_step AS
    SELECT * FROM workflow_chain_step WHERE region LIKE CONCAT(jurisdiction(), '%')
    WITH CHECK OPTION;
CREATE VIEW my_workflow_request AS
    SELECT * FROM workflow_request WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_workflow_request_step AS
    SELECT * FROM workflow_request_step WHERE region LIKE CONCAT(jurisdiction(), '%')
    WITH CHECK OPTION;
CREATE VIEW my_workflow_event AS
    SELECT * FROM workflow_event WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_workflow_copy AS
    SELECT * FROM workflow_copy WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_reelection AS
    SELECT * FROM reelection WHERE region LIKE CONCAT(jurisdiction(), '%') WITH CHECK OPTION;
CREATE VIEW my_reelection_candidate AS
    SELECT * FROM reelection_candidate WHERE region LIKE CONCAT(jurisdiction(), '%')
    WITH CHECK OPTION;
