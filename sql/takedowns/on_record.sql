-- How many takedown requests are on record.
SELECT count(*) FROM main.takedowns;
