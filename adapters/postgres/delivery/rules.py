"""DevLake's rules as SQL fragments, shared by the metrics and by the attribution the records keep."""

# A deployment that counts: successful, finished, production.
COUNTS = "{a}production AND {a}result = 'success' AND {a}finished_at IS NOT NULL"
# A counted deployment that is not the first of its commit in its source (by finish, then key) does not count.
FIRST_OF_COMMIT = """NOT EXISTS (
    SELECT FROM delivery_deployments e WHERE e.source_id = {d}.source_id AND e.sha = {d}.sha
    AND e.production AND e.result = 'success' AND e.finished_at IS NOT NULL
    AND (e.finished_at, e.key COLLATE "C") < ({d}.finished_at, {d}.key COLLATE "C"))"""
