"""The banner form."""

from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webapp.admin.forms import ImageChoiceForm, safe_link
from webapp.web.forms import strip


class BannerForm(ImageChoiceForm):
    """A banner's fields; the image is required when the banner is created."""

    title = StringField("Title", validators=[DataRequired(), Length(max=120)], filters=[strip])
    link_url = StringField("Link", validators=[Optional(), Length(max=500), safe_link], filters=[strip])
    sort_order = IntegerField("Position", validators=[Optional(), NumberRange(min=0, max=100000)])
    is_active = BooleanField("Active", default=True)
