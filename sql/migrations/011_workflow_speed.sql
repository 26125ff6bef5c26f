-- The workflow at scale (issue 6): an approver's inbox, approvals and a province's oversight with
-- 100,000 requests under way.
--
-- The inbox leaves out the requests the approver submitted herself: the submissions of one user
-- are few, so they are one range of an index on (actor, action). Keyed on the actor alone, the
-- range held every approval she ever made too, and the inbox read all of them (a whole scan of
-- the history once it held many).
ALTER TABLE workflow_event DROP KEY workflow_event_actor,
    ADD KEY workflow_event_submitter (actor, action, request_id)
        COMMENT 'what a user submitted: not in her inbox';

-- The oversight counts the steps waiting longer than some days by child region. Counting them
-- in the requests of a province reads every request under way (100,000: about 170 ms on an
-- idle machine); so they are kept per county and per day the waiting step began, changed by the
-- triggers below in the transaction of every change of a request, whoever writes. A province
-- or a city then sums its counties' rows of the days before the day of the cut-off, and
-- counts that one day from the requests (index workflow_request_waiting); a county and below
-- count their requests. Per county and not per township keeps a province's rows few.
--
-- Every approval in a county moves a request to the county's row of today, which it keeps
-- locked until it commits: approvals of one county would queue on it (measured: 4 approvers at
-- once spent most of their time waiting). So each day's count is spread over 16 rows by the
-- request's id (slot), and a reader sums them: at most 16 times the rows, and never more than
-- there are requests.
CREATE TABLE workflow_waiting_county (
    county VARCHAR(6) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
           COMMENT 'the first 6 digits of the organisation''s region (shorter above a county)',
    since  DATE NOT NULL COMMENT 'the day of pending_since',
    slot   TINYINT UNSIGNED NOT NULL COMMENT 'the request id modulo 16',
    n      BIGINT NOT NULL COMMENT 'requests in progress whose step waits since that day',
    PRIMARY KEY (county, since, slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE PROCEDURE workflow_waiting_add(v_id BIGINT UNSIGNED, v_region VARCHAR(12) CHARACTER SET ascii,
                                      v_since DATETIME(3), v_delta INT)
    MODIFIES SQL DATA
BEGIN
    INSERT INTO workflow_waiting_county (county, since, slot, n)
        VALUES (LEFT(v_region, 6), DATE(v_since), v_id % 16, v_delta)
        ON DUPLICATE KEY UPDATE n = n + v_delta;
    -- Past days would otherwise keep rows of 0 for ever, and every reader would read them.
    IF v_delta < 0 THEN
        DELETE FROM workflow_waiting_county
            WHERE county = LEFT(v_region, 6) AND since = DATE(v_since) AND slot = v_id % 16
            AND n = 0;
    END IF;
END;

CREATE TRIGGER workflow_request_waiting_insert AFTER INSERT ON workflow_request FOR EACH ROW
BEGIN
    IF NEW.state = 'in_progress' AND NEW.pending_since IS NOT NULL THEN
        CALL workflow_waiting_add(NEW.id, NEW.region, NEW.pending_since, 1);
    END IF;
END;

CREATE TRIGGER workflow_request_waiting_update AFTER UPDATE ON workflow_request FOR EACH ROW
BEGIN
    IF NOT (NEW.state <=> OLD.state AND NEW.pending_since <=> OLD.pending_since
            AND NEW.region <=> OLD.region) THEN
        IF OLD.state = 'in_progress' AND OLD.pending_since IS NOT NULL THEN
            CALL workflow_waiting_add(OLD.id, OLD.region, OLD.pending_since, -1);
        END IF;
        IF NEW.state = 'in_progress' AND NEW.pending_since IS NOT NULL THEN
            CALL workflow_waiting_add(NEW.id, NEW.region, NEW.pending_since, 1);
        END IF;
    END IF;
END;

CREATE TRIGGER workflow_request_waiting_delete AFTER DELETE ON workflow_request FOR EACH ROW
BEGIN
    IF OLD.state = 'in_progress' AND OLD.pending_since IS NOT NULL THEN
        CALL workflow_waiting_add(OLD.id, OLD.region, OLD.pending_since, -1);
    END IF;
END;

CREATE VIEW my_workflow_waiting_county AS
    SELECT * FROM workflow_waiting_county WHERE county LIKE CONCAT(jurisdiction(), '%');

-- What the kept counts must always equal (the oversight test compares them).
CREATE VIEW my_workflow_waiting_recount AS
    SELECT LEFT(region, 6) AS county, DATE(pending_since) AS since, id % 16 AS slot,
           COUNT(*) AS n
    FROM my_workflow_request WHERE state = 'in_progress' AND pending_since IS NOT NULL
    GROUP BY LEFT(region, 6), DATE(pending_since), id % 16;

-- The counts of the requests there are already (@jurisdiction '': everything, as in 006).
SET @jurisdiction = '';
INSERT INTO workflow_waiting_county (county, since, slot, n)
    SELECT county, since, slot, n FROM my_workflow_waiting_recount;
SET @jurisdiction = NULL;
