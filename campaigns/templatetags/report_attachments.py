"""What the attachments partial shows: each file's type by name, and the upload rules."""

from django import template
from django.template.defaultfilters import filesizeformat

from campaigns import attachments

register = template.Library()


@register.filter
def attachment_type(attachment):
    """A short name for the detected type: PDF, Word, Excel, PNG, JPEG or GIF."""
    return attachments.type_label(attachment.content_type)


@register.simple_tag
def attachment_rules():
    """The file picker's `accept` list and the limits, as the service enforces them."""
    return {
        "accept": attachments.ACCEPT,
        "size": filesizeformat(attachments.MAX_BYTES),
        "files": attachments.MAX_FILES,
    }
