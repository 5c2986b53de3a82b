DROP TABLE archive_entries;
DROP TABLE archive_heads;
