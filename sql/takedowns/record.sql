-- Records one takedown request; returns it (read back: DuckLake does not support INSERT ... RETURNING).
INSERT INTO main.takedowns
SELECT coalesce(max(takedown_id), 0) + 1, now(), $scope, $target, $reason, $requested_by FROM main.takedowns;
SELECT takedown_id, requested_at FROM main.takedowns ORDER BY takedown_id DESC LIMIT 1;
