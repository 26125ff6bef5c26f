-- position_organisation (organisation_id, current, start_date) holds every column of position
-- that an organisation's page reads of its office holders, present and past (ORG_WITH_HOLDERS in
-- fcgi/organisations.c), so the page reads its positions from the index alone, as the roster
-- does since migration 021. Each of an organisation's 20 to 40 positions was read again from
-- the table by primary key; end_reason, empty while a position lasts, costs little there.
--
-- Measured on the national data (libmariadb loop, an organisation with 38 positions, five
-- interleaved rounds): MariaDB's time per page 337-470 us (median 410) -> 290-400 us (350).
-- The index grows from 314 to 555 MB on 7.8 million positions. It still starts with
-- organisation_id and so still serves the foreign key.
ALTER TABLE position
    DROP INDEX position_organisation,
    ADD INDEX position_organisation (organisation_id, current, start_date, person_id, role,
                                     full_time, in_two_committees, term_start, end_date,
                                     succeeds_id, region, end_reason);
