"""/admin/banners: list, create, edit, reorder, (de)activate and delete banners."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from webapp.admin.banners import editing as banners
from webapp.admin.banners.forms import BannerForm
from webapp.admin.errors import BannerSaveFailed
from webapp.home.carousel import get_banner
from webapp.ops.errors import UploadRejected

bp = Blueprint("banners", __name__)


@bp.get("/")
def index():
    return render_template("admin/banners/index.html", banners=banners.all_banners())


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = BannerForm(require_image=True)
    if form.validate_on_submit() and _saved(form):
        flash("Banner created; the homepage shows it now.", "success")
        return redirect(url_for(".index"))
    return render_template("admin/banners/form.html", form=form, banner=None), 400 if form.errors else 200


@bp.route("/<id:banner_id>/edit", methods=["GET", "POST"])
def edit(banner_id):
    banner = get_banner(banner_id)
    form = BannerForm(obj=banner, require_image=False)
    if request.method == "GET":
        form.show_image(banner.image)
    if form.validate_on_submit() and _saved(form, banner):
        flash("Banner saved; the homepage shows the change now.", "success")
        return redirect(url_for(".index"))
    return render_template("admin/banners/form.html", form=form, banner=banner), 400 if form.errors else 200


def _saved(form, banner=None):
    try:
        banners.save_from_form(form, banner)
    except UploadRejected as error:
        form.image_file.errors.append(str(error))
        return False
    except BannerSaveFailed as error:
        form.form_errors.append(str(error))
        return False
    return True


@bp.post("/<id:banner_id>/toggle")
def toggle(banner_id):
    banner = get_banner(banner_id)
    banners.set_active(banner, not banner.is_active)
    flash(f"“{banner.title}” is now {'shown' if banner.is_active else 'hidden'}.", "success")
    return redirect(url_for(".index"))


@bp.post("/<id:banner_id>/move/<any(up, down):direction>")
def move(banner_id, direction):
    banners.move(get_banner(banner_id), -1 if direction == "up" else 1)
    return redirect(url_for(".index"))


@bp.post("/<id:banner_id>/delete")
def delete(banner_id):
    banner = get_banner(banner_id)
    title = banner.title
    banners.remove(banner)
    flash(f"“{title}” deleted.", "success")
    return redirect(url_for(".index"))
