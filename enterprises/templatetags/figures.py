from django import template

from enterprises.models import FIGURE_LABELS

register = template.Library()


@register.filter
def figure_label(name):
    """The Chinese name of a survey figure ("both" → 党组织和工会组织均已建立)."""
    return FIGURE_LABELS.get(name, name)
