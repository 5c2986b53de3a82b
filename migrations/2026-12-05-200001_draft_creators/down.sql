DROP INDEX drafts_open_by_creator;
ALTER TABLE drafts DROP COLUMN created_by;
