"""/admin/banners: list, create, edit, reorder, (de)activate and delete banners."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from webapp.admin.banners import editing as banners
from webapp.admin.banners.forms import BannerForm
from webapp.extensions import db
from webapp.home.models import Banner
from webapp.ops.uploads import UploadRejected

bp = Blueprint("banners", __name__)


def _banner_or_404(banner_id):
    return db.get_or_404(Banner, banner_id, description="There is no such banner.")


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
    banner = _banner_or_404(banner_id)
    form = BannerForm(obj=banner, require_image=False)
    if request.method == "GET":
        # Only an outside address is shown for editing; empty keeps a static or uploaded image.
        form.image_url.data = banner.image if banner.image.startswith(("http://", "https://")) else ""
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
    except banners.BannerSaveFailed as error:
        form.form_errors.append(str(error))
        return False
    return True


@bp.post("/<id:banner_id>/toggle")
def toggle(banner_id):
    banner = _banner_or_404(banner_id)
    banners.set_active(banner, not banner.is_active)
    flash(f"“{banner.title}” is now {'shown' if banner.is_active else 'hidden'}.", "success")
    return redirect(url_for(".index"))


@bp.post("/<id:banner_id>/move/<any(up, down):direction>")
def move(banner_id, direction):
    banners.move(_banner_or_404(banner_id), -1 if direction == "up" else 1)
    return redirect(url_for(".index"))


@bp.post("/<id:banner_id>/delete")
def delete(banner_id):
    banner = _banner_or_404(banner_id)
    title = banner.title
    banners.remove(banner)
    flash(f"“{title}” deleted.", "success")
    return redirect(url_for(".index"))
