"""Django messages whose zh-hans translation Django itself lacks.

Django 5.2 changed these message ids and its zh-hans catalogue still has the old ones,
so without this the password rules would be shown in English. Listing them here lets
makemessages pick them up into our catalogue, where they are translated.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
