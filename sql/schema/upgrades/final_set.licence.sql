-- A warehouse made before final_set carried each document's licence: the column is added, NULL (not yet known)
-- for the dates published before; a re-run of final_set fills it.
ALTER TABLE final_set ADD COLUMN licence VARCHAR;
