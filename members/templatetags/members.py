from django import template

from members.models import Membership, Person

register = template.Library()


@register.filter
def member_field_label(name):
    """The label of a person's or a membership's field, as history rows name them."""
    for model in (Membership, Person):
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001, S112 - not this model's field: try the next
            continue
    return name
