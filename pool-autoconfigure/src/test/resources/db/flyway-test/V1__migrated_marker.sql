CREATE TABLE migrated_marker (id integer PRIMARY KEY);
