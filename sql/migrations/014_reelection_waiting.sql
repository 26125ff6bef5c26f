-- The oversight of re-elections (换届督查) counts the steps of re-elections that wait long. Since
-- migration 013 a new organisation's coverage goes through the same engine (kinds
-- new_org_committee and new_org_liaison), but a proposal waiting at the county is no late
-- re-election: the waiting steps kept per county and day (migration 011) count the requests of
-- kinds reelection_plan and reelection_result only, and so does the recount they must equal.
-- fcgi/oversight.c filters the requests it counts itself the same way.

DROP TRIGGER workflow_request_waiting_insert;
DROP TRIGGER workflow_request_waiting_update;
DROP TRIGGER workflow_request_waiting_delete;

CREATE TRIGGER workflow_request_waiting_insert AFTER INSERT ON workflow_request FOR EACH ROW
BEGIN
    IF NEW.state = 'in_progress' AND NEW.pending_since IS NOT NULL
       AND NEW.kind IN ('reelection_plan', 'reelection_result') THEN
        CALL workflow_waiting_add(NEW.id, NEW.region, NEW.pending_since, 1);
    END IF;
END;

CREATE TRIGGER workflow_request_waiting_update AFTER UPDATE ON workflow_request FOR EACH ROW
BEGIN
    IF NOT (NEW.state <=> OLD.state AND NEW.pending_since <=> OLD.pending_since
            AND NEW.region <=> OLD.region AND NEW.kind <=> OLD.kind) THEN
        IF OLD.state = 'in_progress' AND OLD.pending_since IS NOT NULL
           AND OLD.kind IN ('reelection_plan', 'reelection_result') THEN
            CALL workflow_waiting_add(OLD.id, OLD.region, OLD.pending_since, -1);
        END IF;
        IF NEW.state = 'in_progress' AND NEW.pending_since IS NOT NULL
           AND NEW.kind IN ('reelection_plan', 'reelection_result') THEN
            CALL workflow_waiting_add(NEW.id, NEW.region, NEW.pending_since, 1);
        END IF;
    END IF;
END;

CREATE TRIGGER workflow_request_waiting_delete AFTER DELETE ON workflow_request FOR EACH ROW
BEGIN
    IF OLD.state = 'in_progress' AND OLD.pending_since IS NOT NULL
       AND OLD.kind IN ('reelection_plan', 'reelection_result') THEN
        CALL workflow_waiting_add(OLD.id, OLD.region, OLD.pending_since, -1);
    END IF;
END;

-- What the kept counts must always equal (the oversight test compares them).
CREATE OR REPLACE VIEW my_workflow_waiting_recount AS
    SELECT LEFT(region, 6) AS county, DATE(pending_since) AS since, id % 16 AS slot,
           COUNT(*) AS n
    FROM my_workflow_request WHERE state = 'in_progress' AND pending_since IS NOT NULL
    AND kind IN ('reelection_plan', 'reelection_result')
    GROUP BY LEFT(region, 6), DATE(pending_since), id % 16;

-- The kept counts again, without the coverage requests under way (@jurisdiction '': all).
DELETE FROM workflow_waiting_county;
SET @jurisdiction = '';
INSERT INTO workflow_waiting_county (county, since, slot, n)
    SELECT county, since, slot, n FROM my_workflow_waiting_recount;
SET @jurisdiction = NULL;
