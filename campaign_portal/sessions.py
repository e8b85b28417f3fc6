"""Sessions that end after SESSION_IDLE_MINUTES without a click, written at most once a minute.

Saving the session on every request (Django's SESSION_SAVE_EVERY_REQUEST) costs a database write per click, three
queries on every page; on a deadline day that is most of the writes the portal does. Instead a signed-in session
is saved again, with a fresh expiry, only when its last refresh is older than REFRESH_SECONDS: the idle limit
then holds to within that minute.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

REFRESH_SECONDS = 60
STAMP = "_refreshed_at"


@receiver(user_logged_in)
def _fresh_at_login(sender, request, user, **kwargs):
    """Signing in writes the session anyway: the minute starts then."""
    if request is not None and hasattr(request, "session"):
        request.session[STAMP] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Only sessions someone signed in to: an anonymous visit gets no session row from looking.
        if "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get(STAMP, 0) >= REFRESH_SECONDS:
                session[STAMP] = now  # marks the session modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)
