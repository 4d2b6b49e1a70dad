-- Records one takedown request; returns it.
INSERT INTO main.takedowns
SELECT coalesce(max(takedown_id), 0) + 1, now(), $scope, $target, $reason, $requested_by FROM main.takedowns
RETURNING takedown_id, requested_at;
