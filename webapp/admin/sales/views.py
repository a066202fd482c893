"""/admin/flash-sales: create sales, watch their stock, buyers and orders, reconcile."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from webapp.admin.errors import SaleSaveFailed
from webapp.admin.sales import editing as flash_sales
from webapp.admin.sales.forms import SaleForm
from webapp.flash_sale.errors import SaleEditRefused
from webapp.flash_sale.sales import get_sale
from webapp.ops.errors import UploadRejected
from webapp.redis import RedisUnavailable

bp = Blueprint("sales", __name__)

SALE_ID = "<id:sale_id>"


@bp.get("/")
def index():
    rows, redis_up = flash_sales.sale_rows()
    return render_template("admin/sales/index.html", rows=rows, redis_up=redis_up)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = SaleForm()
    if form.validate_on_submit():
        try:
            sale, loaded = flash_sales.create_from_form(form)
        except UploadRejected as error:
            form.image_file.errors.append(str(error))
        except SaleSaveFailed as error:
            form.form_errors.append(str(error))
        else:
            if loaded:
                flash(f"Sale #{sale.id} created and its stock loaded into Redis.", "success")
            else:
                flash(f"Sale #{sale.id} saved, but Redis was down: press Reconcile and repair.", "error")
            return redirect(url_for(".detail", sale_id=sale.id))
    return render_template("admin/sales/form.html", form=form, sale=None), 400 if form.errors else 200


@bp.route(f"/{SALE_ID}/edit", methods=["GET", "POST"])
def edit(sale_id):
    sale = get_sale(sale_id)
    form = SaleForm()
    if request.method == "GET":
        form.fill_from(sale)
    elif form.validate_on_submit():
        try:
            in_redis = flash_sales.edit_from_form(sale, form)
        except UploadRejected as error:
            form.image_file.errors.append(str(error))
        except (SaleEditRefused, SaleSaveFailed) as error:
            form.form_errors.append(str(error))
        else:
            if in_redis:
                flash(f"Sale #{sale.id} saved; its page and Redis show the change now.", "success")
            else:
                flash(
                    f"Sale #{sale.id} saved, but Redis was not updated: press Reconcile and repair.", "error"
                )
            return redirect(url_for(".detail", sale_id=sale.id))
    return render_template("admin/sales/form.html", form=form, sale=sale), 400 if form.errors else 200


@bp.get(f"/{SALE_ID}")
def detail(sale_id):
    row, orders, redis_up = flash_sales.sale_detail(get_sale(sale_id))
    return render_template("admin/sales/detail.html", row=row, orders=orders, redis_up=redis_up)


@bp.post(f"/{SALE_ID}/reconcile")
def reconcile(sale_id):
    get_sale(sale_id)
    fix = request.form.get("fix") == "1"
    try:
        lines, clean = flash_sales.reconcile(sale_id, fix)
    except RedisUnavailable:
        flash("Redis is not reachable, so its stock cannot be compared. Try again when it is back.", "error")
    else:
        for line in lines:
            flash(line.strip(), "success" if clean else "error")
    return redirect(url_for(".detail", sale_id=sale_id), 303)
