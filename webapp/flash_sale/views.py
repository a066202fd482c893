from flask import Blueprint

bp = Blueprint("flash_sale", __name__)
