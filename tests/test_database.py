"""The database plumbing: URLs, and `flask db` loading Flask-Migrate only when used."""

from importlib.metadata import version

from webapp.database import engine_url


def test_database_urls_are_normalised():
    assert engine_url("postgres://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert engine_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_flask_migrates_own_group_reads_what_the_lazy_group_sets(runner):
    """`flask db current` runs Flask-Migrate's command through the lazy group (g.directory).
    Checked against Flask-Migrate 4.1.0: re-check LazyMigrateGroup when this changes."""
    assert version("Flask-Migrate") == "4.1.0"
    result = runner.invoke(args=["db", "current"])
    assert result.exit_code == 0, result.output
