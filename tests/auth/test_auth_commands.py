"""`flask users make-admin <phone>`."""

from webapp.auth.users import user_by_phone


def test_make_admin_creates_the_user_from_any_phone_format(app, runner):
    result = runner.invoke(args=["users", "make-admin", "138 1234 5678"])
    assert result.exit_code == 0, result.output
    assert "+8613812345678 created as an admin" in result.output
    with app.app_context():
        assert user_by_phone("+8613812345678").is_admin


def test_make_admin_promotes_an_existing_user(app, runner, login):
    login("+8613812345678")
    result = runner.invoke(args=["users", "make-admin", "+86 138-1234-5678"])
    assert result.exit_code == 0 and "+8613812345678 is now an admin" in result.output
    with app.app_context():
        assert user_by_phone("+8613812345678").is_admin


def test_make_admin_refuses_a_bad_phone(app, runner):
    result = runner.invoke(args=["users", "make-admin", "not-a-phone"])
    assert result.exit_code == 2
    assert "A phone number has digits only" in result.output
