"""Solving the public forms' captcha in tests, benchmarks and browser journeys: read the answer the portal keeps.

There is no test mode: the key is read off the page and its answer from the captcha store, as the portal does.
"""

import re

from captcha.models import CaptchaStore

KEY = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')


def captcha_key_of(html):
    """The captcha key of the (last) form on a page."""
    if isinstance(html, bytes):
        html = html.decode()
    return KEY.findall(html)[-1]


def answer_to(key):
    return CaptchaStore.objects.get(hashkey=key).response


def solved_captcha(page):
    """The captcha fields of a form, answered: the page is HTML text, bytes or a test client's response."""
    html = getattr(page, "content", page)
    key = captcha_key_of(html)
    return {"captcha_0": key, "captcha_1": answer_to(key)}
