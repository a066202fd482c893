"""Extensions, created unbound here and bound to an app in `create_app`."""

from flask import current_app
from flask_caching import Cache
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase
from werkzeug.local import LocalProxy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
cache = Cache()
login_manager = LoginManager()
# CSRF protection and the rate limiter serve only the web app: webapp/web/extensions.py.

#: The process's one Redis client (one connection pool), made from REDIS_URL in the factory
#: and shared by the cache, the counters, the code store and the flash sale.
redis_client = LocalProxy(lambda: current_app.extensions["redis"])

#: The Celery app bound to the current Flask app.
celery = LocalProxy(lambda: current_app.extensions["celery"])
