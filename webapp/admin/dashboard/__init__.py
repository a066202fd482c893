"""The dashboard: live figures of Redis, the cache, Celery and the site, the visits chart,
the task history, and a read-only Redis key browser."""
