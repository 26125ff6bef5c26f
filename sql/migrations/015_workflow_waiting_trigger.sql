-- A cheaper upkeep of the counts of waiting steps of re-elections (011, 014) for the busiest
-- change of a request, an approval (issue 6: 1,000 approvals/s on 2 cores).
--
-- Every approval changes pending_since, and the trigger of 014 then called the procedure
-- workflow_waiting_add twice, once to take the request off the count of the day its step
-- began waiting and once to add it to today's. A CALL from a trigger costs more than the
-- statements it runs (MariaDB sets up the procedure's context at each one), and taking off
-- went through INSERT ... ON DUPLICATE KEY UPDATE and a DELETE of the row in case it fell to
-- 0. Here the statements are the trigger's own: an UPDATE takes the request off a row that
-- keeps others, and only when it finds none (the request was the row's last) a DELETE removes
-- the row; nothing runs at all when the request stays on the same county, day and slot (a
-- step decided the day the one before it was, or a change of something else). The triggers on
-- insert and delete keep the procedure: they run once in a request's life.
DROP TRIGGER workflow_request_waiting_update;

CREATE TRIGGER workflow_request_waiting_update AFTER UPDATE ON workflow_request FOR EACH ROW
BEGIN
    -- Counted: a step of a re-election waits (014).
    DECLARE was_waiting BOOLEAN DEFAULT OLD.state = 'in_progress' AND OLD.pending_since IS NOT NULL
        AND OLD.kind IN ('reelection_plan', 'reelection_result');
    DECLARE is_waiting BOOLEAN DEFAULT NEW.state = 'in_progress' AND NEW.pending_since IS NOT NULL
        AND NEW.kind IN ('reelection_plan', 'reelection_result');
    IF NOT (was_waiting AND is_waiting AND DATE(NEW.pending_since) = DATE(OLD.pending_since)
            AND LEFT(NEW.region, 6) = LEFT(OLD.region, 6)) THEN
        IF was_waiting THEN
            UPDATE workflow_waiting_county SET n = n - 1
                WHERE county = LEFT(OLD.region, 6) AND since = DATE(OLD.pending_since)
                AND slot = OLD.id % 16 AND n > 1;
            -- A row of 0 goes: past days would otherwise keep such rows for ever, and every
            -- reader would read them.
            IF ROW_COUNT() = 0 THEN
                DELETE FROM workflow_waiting_county
                    WHERE county = LEFT(OLD.region, 6) AND since = DATE(OLD.pending_since)
                    AND slot = OLD.id % 16;
            END IF;
        END IF;
        IF is_waiting THEN
            INSERT INTO workflow_waiting_county (county, since, slot, n)
                VALUES (LEFT(NEW.region, 6), DATE(NEW.pending_since), NEW.id % 16, 1)
                ON DUPLICATE KEY UPDATE n = n + 1;
        END IF;
    END IF;
END;
