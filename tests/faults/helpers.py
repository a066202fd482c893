"""Helpers shared by the fault tests."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import requests
from sqlalchemy import create_engine, insert, select, text

from tests.support import CSRF_TOKEN
from webapp.auth.models import User
from webapp.extensions import db


def logged_in_clients(app, count, prefix="+86135"):
    """`count` new users, each with a test client logged in as them."""
    with app.app_context():
        db.session.execute(insert(User), [{"phone": f"{prefix}{n:08d}"} for n in range(count)])
        db.session.commit()
        user_ids = list(db.session.scalars(select(User.id).where(User.phone.startswith(prefix))))
    clients = []
    for user_id in user_ids:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
        clients.append(client)
    return clients


def logged_in_users(app, count):
    """Session cookies for `count` new users, signed as the site signs them."""
    with app.app_context():
        db.session.execute(insert(User), [{"phone": f"+86137{n:08d}"} for n in range(count)])
        db.session.commit()
        user_ids = list(db.session.scalars(select(User.id)))
        serializer = app.session_interface.get_signing_serializer(app)
        return {uid: serializer.dumps({"_user_id": str(uid), "_fresh": True}) for uid in user_ids}


@contextmanager
def orders_held_back(app, sale_id):
    """Hold the sale's row locked, so the order tasks the workers take wait inside their
    transaction (holding their messages, unacknowledged) until the body ends."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the whole file's write lock
        else:
            conn.execute(text("BEGIN"))
            conn.execute(text("SELECT id FROM flash_sale WHERE id = :id FOR UPDATE"), {"id": sale_id})
        try:
            yield
        finally:
            conn.rollback()
    engine.dispose()


def storm(hosts, sale_id, cookies, threads=16):
    """Every user in `cookies` opens the sale's page and clicks Buy once, each request to a
    web host picked at random (the load balancer). Returns [(user id, status)]."""
    local = threading.local()

    def buy(user_id):
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        host = random.choice(hosts)
        session.cookies.clear()
        page = session.get(f"{host}/flash-sales/{sale_id}", cookies={"session": cookies[user_id]})
        token = next(g for g in CSRF_TOKEN.search(page.text).groups() if g)
        answer = session.post(
            f"{random.choice(hosts)}/flash-sales/{sale_id}/buy",
            cookies={"session": page.cookies.get("session", cookies[user_id])},
            headers={"Accept": "application/json", "X-CSRFToken": token},
        )
        return user_id, answer.status_code

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(buy, list(cookies)))
