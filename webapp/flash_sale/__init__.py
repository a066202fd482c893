"""Flash sales: stock reserved atomically in Redis, orders written by Celery."""
