"""Banner editing: each kind of write shows on the very next homepage; nothing half-saved."""

import re
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from tests.admin.helpers import png_bytes, slide_titles, upload
from tests.support import csrf_token
from webapp.extensions import db
from webapp.home.models import Banner
from webapp.ops.models import Upload


def post(client, url, data=None, **kwargs):
    return client.post(
        url, data={"csrf_token": csrf_token(client, "/admin/banners/new"), **(data or {})}, **kwargs
    )


@dataclass
class StoredUpload:
    name: str
    data: bytes

    def read_bytes(self):
        return self.data


def uploaded_files(app):
    """The uploads kept (in the database), by name."""
    with app.app_context():
        rows = db.session.execute(db.select(Upload.name, Upload.data).order_by(Upload.name)).all()
    return [StoredUpload(name, data) for name, data in rows]


def banner_rows(app):
    with app.app_context():
        return list(db.session.scalars(db.select(Banner).order_by(Banner.sort_order, Banner.id)))


def test_creating_a_banner_with_an_upload_shows_it_on_the_next_homepage(app, client, admin, banners):
    client.get("/")  # warm the cache
    before = uploaded_files(app)
    response = post(
        client,
        "/admin/banners/new",
        {"title": "Summer sale", "image_file": upload(png_bytes()), "link_url": "/", "is_active": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    home = client.get("/")
    assert "Summer sale" in slide_titles(home)
    image = re.search(rb'src="(/uploads/[0-9a-f]{32}\.png)"', home.data).group(1).decode()
    served = client.get(image)
    assert served.status_code == 200
    assert served.data == png_bytes()
    assert served.headers["Content-Type"] == "image/png"
    assert len(uploaded_files(app)) == len(before) + 1


def test_creating_a_banner_with_an_image_address(client, admin, banners):
    client.get("/")
    data = {"title": "Remote image", "image_url": "https://cdn.example.com/b.png", "is_active": "y"}
    assert post(client, "/admin/banners/new", data).status_code == 302
    home = client.get("/")
    assert slide_titles(home)[-1] == "Remote image"
    assert b'src="https://cdn.example.com/b.png"' in home.data


def test_editing_a_title_shows_on_the_next_homepage(client, admin, banners):
    client.get("/")
    data = {
        "title": "Edited by an admin",
        "image_url": "",
        "link_url": "/",
        "sort_order": "1",
        "is_active": "y",
    }
    assert post(client, f"/admin/banners/{banners[0]}/edit", data).status_code == 302
    assert slide_titles(client.get("/"))[0] == "Edited by an admin"


def test_reordering_shows_on_the_next_homepage(client, admin, banners):
    first = slide_titles(client.get("/"))
    assert post(client, f"/admin/banners/{banners[0]}/move/down").status_code == 302
    assert slide_titles(client.get("/"))[:2] == [first[1], first[0]]
    assert post(client, f"/admin/banners/{banners[0]}/move/up").status_code == 302
    assert slide_titles(client.get("/")) == first


def test_deactivating_and_activating_show_on_the_next_homepage(client, admin, banners):
    titles = slide_titles(client.get("/"))
    post(client, f"/admin/banners/{banners[1]}/toggle")
    assert slide_titles(client.get("/")) == [titles[0], *titles[2:]]
    post(client, f"/admin/banners/{banners[1]}/toggle")
    assert slide_titles(client.get("/")) == titles


def test_deleting_a_banner_removes_it_and_its_upload(app, client, admin, banners):
    post(
        client,
        "/admin/banners/new",
        {"title": "Short-lived", "image_file": upload(png_bytes()), "is_active": "y"},
        content_type="multipart/form-data",
    )
    assert "Short-lived" in slide_titles(client.get("/"))
    created = banner_rows(app)[-1]
    assert created.image.startswith("/uploads/")
    assert post(client, f"/admin/banners/{created.id}/delete").status_code == 302
    assert "Short-lived" not in slide_titles(client.get("/"))
    assert uploaded_files(app) == [] or all(created.image[9:] != f.name for f in uploaded_files(app))
    assert client.get(created.image).status_code == 404


def test_form_errors_show_next_to_their_fields_and_nothing_is_saved(app, client, admin, banners):
    response = post(client, "/admin/banners/new", {"title": "", "link_url": "javascript:alert(1)"})
    assert response.status_code == 400
    page = response.data.decode()
    assert 'data-error-for="title"' in page
    assert 'data-error-for="link_url"' in page and "http(s)://" in page
    assert 'data-error-for="image_file"' in page and "Upload an image or give its address" in page
    assert len(banner_rows(app)) == len(banners)


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(app, client, admin, banners):
    for name, data in [("evil.png", b"<?php system($_GET['c']); ?>"), ("x.svg", b"<svg onload=alert(1)>")]:
        response = post(
            client,
            "/admin/banners/new",
            {"title": "Bad", "image_file": upload(data, name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert b"Only PNG, JPEG, GIF or WebP" in response.data
    assert uploaded_files(app) == []
    assert len(banner_rows(app)) == len(banners)


def test_an_image_over_the_size_limit_is_refused(app, client, admin, banners):
    app.config["UPLOAD_MAX_BYTES"] = 1000
    app.config["MAX_CONTENT_LENGTH"] = 1000 + 64 * 1024  # as config.py derives it
    big = png_bytes() + bytes(2000)  # trailing bytes: still a PNG by its signature
    assert len(big) > 1000
    response = post(
        client,
        "/admin/banners/new",
        {"title": "Big", "image_file": upload(big)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert b"larger than" in response.data
    far_too_big = post(
        client,
        "/admin/banners/new",
        {"title": "Huge", "image_file": upload(b"\x89PNG\r\n\x1a\n" + b"0" * 200_000)},
        content_type="multipart/form-data",
    )
    assert far_too_big.status_code == 413
    assert uploaded_files(app) == []


def test_path_tricks_in_file_names_are_harmless(app, client, admin, banners):
    for name in ["../../wsgi.py", "..\\..\\config.png", "/etc/passwd.png", "a.png\x00.php"]:
        response = post(
            client,
            "/admin/banners/new",
            {"title": "Tricky", "image_file": upload(png_bytes(), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    names = [f.name for f in uploaded_files(app)]
    assert len(names) == 4 and all(re.fullmatch(r"[0-9a-f]{32}\.png", n) for n in names)
    for url in ["/uploads/..%2f..%2fwsgi.py", "/uploads/../config.py", "/uploads/site.db"]:
        assert client.get(url).status_code == 404


def test_a_failed_database_write_removes_the_stored_upload(app, client, admin, banners, monkeypatch):
    def refuse(banner):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("webapp.admin.banners.editing.save_banner", refuse)
    response = post(
        client,
        "/admin/banners/new",
        {"title": "Doomed", "image_file": upload(png_bytes())},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert b"could not be saved" in response.data
    assert uploaded_files(app) == []
    assert len(banner_rows(app)) == len(banners)


def test_replacing_an_upload_removes_the_old_file(app, client, admin, banners):
    post(
        client,
        "/admin/banners/new",
        {"title": "V1", "image_file": upload(png_bytes(1))},
        content_type="multipart/form-data",
    )
    banner = banner_rows(app)[-1]
    post(
        client,
        f"/admin/banners/{banner.id}/edit",
        {"title": "V2", "image_file": upload(png_bytes(2)), "is_active": "y"},
        content_type="multipart/form-data",
    )
    files = uploaded_files(app)
    assert len(files) == 1 and files[0].read_bytes() == png_bytes(2)
    assert banner_rows(app)[-1].image == f"/uploads/{files[0].name}"


def test_unknown_banners_answer_404(client, admin):
    assert client.get("/admin/banners/999/edit").status_code == 404
    assert post(client, "/admin/banners/999/delete").status_code == 404


def test_an_edit_form_saved_as_shown_keeps_the_static_image(app, client, admin, banners):
    form = client.get(f"/admin/banners/{banners[0]}/edit").data.decode()
    assert re.search(r'name="image_url"[^>]*value=""', form)
    data = {"title": "Same picture", "image_url": "", "link_url": "/", "is_active": "y"}
    assert post(client, f"/admin/banners/{banners[0]}/edit", data).status_code == 302
    assert banner_rows(app)[0].image == "img/banners/1.svg"


def test_an_image_address_must_be_a_full_http_url(client, admin, banners):
    for address in ["img/x.png", "javascript:alert(1)", "ftp://example.com/x.png", "https://"]:
        response = post(client, "/admin/banners/new", {"title": "X", "image_url": address})
        assert response.status_code == 400
        assert b"full http:// or https:// address" in response.data
