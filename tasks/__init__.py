"""Celery tasks. Thin: they take ids, not objects, and call the feature modules.

`celery -A tasks worker` finds the app in `tasks.celery`, the worker's entry point.
"""
