"""Extensions, created unbound here and bound to an app in `create_app`."""

from flask import current_app
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase
from werkzeug.local import LocalProxy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
cache = Cache()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)

#: The process's one Redis client (one connection pool), made from REDIS_URL in the factory
#: and shared by the cache, the counters, the code store and the flash sale.
redis_client = LocalProxy(lambda: current_app.extensions["redis"])

#: The Celery app bound to the current Flask app.
celery = LocalProxy(lambda: current_app.extensions["celery"])
