"""The flash-sale form: price > 0 with at most two decimals, stock a positive whole number,
an end after the start, and an image (upload or address) as for banners."""

from datetime import UTC
from decimal import Decimal, InvalidOperation

from wtforms import DateTimeLocalField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from webapp.admin.forms import ImageChoiceForm
from webapp.clock import local, site_zone
from webapp.web.forms import strip


class SaleForm(ImageChoiceForm):
    product_name = StringField("Product", validators=[DataRequired(), Length(max=120)], filters=[strip])
    price = StringField("Price", validators=[DataRequired()], filters=[strip])
    stock = IntegerField(
        "Units for sale",
        validators=[
            InputRequired("Give the number of units."),
            NumberRange(min=1, max=1_000_000, message="Give a whole number of units from 1 to 1,000,000."),
        ],
    )
    starts_at = DateTimeLocalField(
        "Starts", validators=[InputRequired("Give the start.")], format="%Y-%m-%dT%H:%M"
    )
    ends_at = DateTimeLocalField("Ends", validators=[InputRequired("Give the end.")], format="%Y-%m-%dT%H:%M")

    def validate_price(self, field):
        try:
            value = Decimal(field.data)
        except InvalidOperation:
            raise ValidationError("Give the price as a number, like 199 or 19.90.") from None
        if not value.is_finite() or value <= 0:
            raise ValidationError("The price must be more than 0.")
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError("The price can have at most two decimals.")
        if value > Decimal("10000000"):
            raise ValidationError("That price is too high.")

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError("The sale must end after it starts.")

    @property
    def price_cents(self):
        return int(Decimal(self.price.data) * 100)

    def sale_fields(self):
        """(name, price in cents, units, start, end in UTC): what create_sale and edit_sale take."""
        starts_at, ends_at = self.utc(self.starts_at.data), self.utc(self.ends_at.data)
        return self.product_name.data, self.price_cents, self.stock.data, starts_at, ends_at

    def utc(self, moment):
        """A time typed in the site's TIMEZONE, in UTC (how sales are stored)."""
        return moment.replace(tzinfo=site_zone()).astimezone(UTC)

    def fill_from(self, sale):
        """Show a saved sale for editing: its price as typed, its times in the site's TIMEZONE
        (as the inputs take them), an outside image address (empty keeps the current image)."""
        self.process(obj=sale)
        self.price.data = sale.price
        self.stock.data = sale.total_stock
        self.starts_at.data = local(sale.starts_at).replace(tzinfo=None)
        self.ends_at.data = local(sale.ends_at).replace(tzinfo=None)
        self.show_image(sale.image)
