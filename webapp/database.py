"""Schema migrations (Flask-Migrate / Alembic), kept in webapp/migrations.

Flask-Migrate imports Alembic, about 11 MB in every process that loads it (bench/homepage_costs.py),
so web workers never import it: `flask db ...` loads it on first use, and `flask init-db` when it
upgrades the database.
"""

from pathlib import Path

from webapp.extensions import db
from webapp.web.speedups import lazy_migrate_group

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def init_migrations(app):
    """Bind Flask-Migrate to `app` (once)."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    # Batch mode lets SQLite alter tables too.
    Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)


def upgrade_database(app):
    """Bring the database to the newest migration (what `flask init-db` runs)."""
    from flask_migrate import upgrade

    init_migrations(app)
    upgrade(directory=str(MIGRATIONS_DIR))


#: `flask db ...`, loading Flask-Migrate only when it is used (see webapp.web.speedups).
db_cli = lazy_migrate_group(MIGRATIONS_DIR, init_migrations)
