"""Celery bound to the Flask app: configured from `app.config["CELERY"]`, every task run
inside the app context (Flask's `celery_init_app` pattern)."""

from celery import Celery, Task


def celery_init_app(app):
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    # For code that runs outside a task's call, in the worker (the task history's signals).
    celery_app.flask_app = app
    app.extensions["celery"] = celery_app
    return celery_app
