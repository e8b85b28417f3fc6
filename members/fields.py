"""A text field stored encrypted (see `members.crypto`).

The model instance always holds the plaintext; the database only ever the ciphertext. A value that none of
the listed keys opens raises `DecryptionError` instead of passing the ciphertext off as the value. Every
encryption is randomised, so the database cannot compare values: lookups other than `isnull` are refused,
and exact search goes through the blind index beside the field.
"""

from django.core.exceptions import FieldError
from django.db import models

from members import crypto


class EncryptedTextField(models.TextField):
    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: "
                f"search it through its blind index, not '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)
