"""What the join benchmark reads off the public pages and sends back: the form's fields, the captcha's answer
(from the captcha store, as a person reads it off the picture), and the number on the receipt."""

import re
import threading
from urllib.parse import urlsplit

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CAPTCHA_KEY = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')
CAPTCHA_IMAGE = re.compile(r'<img[^>]+src="(/join/captcha/image/[0-9a-f]+/)"')
RECEIPT_NUMBER = re.compile(r"\b(RH[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10})\b")


def _last(pattern, html):
    found = pattern.findall(html)
    return found[-1] if found else ""


def captcha_solver(env):
    """answer(key) from the portal's captcha store, over one connection per thread; and the township's id."""
    import psycopg2

    local = threading.local()
    url = env["DATABASE_URL"]
    parts = urlsplit(url)

    def cursor():
        if not hasattr(local, "connection"):
            local.connection = psycopg2.connect(url if parts.scheme.startswith("postgres") else url)
            local.connection.autocommit = True
        return local.connection.cursor()

    def answer(key):
        with cursor() as c:
            c.execute("SELECT response FROM captcha_captchastore WHERE hashkey = %s", [key])
            row = c.fetchone()
        return row[0] if row else ""

    def union_id(code):
        with cursor() as c:
            c.execute("SELECT id FROM unions_unionorg WHERE code = %s", [code])
            return str(c.fetchone()[0])

    answer.union_id = union_id
    return answer


def _captcha(html, answer):
    key = _last(CAPTCHA_KEY, html)
    return {"captcha_0": key, "captcha_1": answer(key)}


def application_fields(html, answer, id_number, township_code):
    return {
        "csrfmiddlewaretoken": _last(CSRF, html),
        "name": "扎西次仁",
        "id_number": id_number,
        "phone": f"139{int(id_number[-9:-1]) % 10**8:08d}",
        "ethnicity": "04",
        "rural_household": "1",
        "household_place": "拉萨市林周县",
        "employer_query": "",
        "no_union": "on",
        "workplace": "八廓街某茶馆",
        "county": township_code[:6],
        "township_union": answer.union_id(township_code),
        "consent": "on",
        **_captcha(html, answer),
    }


def receipt_number(html):
    return _last(RECEIPT_NUMBER, html) or None


def status_fields(html, answer, number, id_number):
    return {
        "csrfmiddlewaretoken": _last(CSRF, html),
        "number": number,
        "id_last4": id_number[-4:],
        "phone": f"139{int(id_number[-9:-1]) % 10**8:08d}",
        **_captcha(html, answer),
    }


def captcha_image(html):
    return _last(CAPTCHA_IMAGE, html)


def found(html, number):
    """The status page shows the application (the same answer for an unknown number and a wrong pair has no
    status)."""
    return number in html and 'data-testid="status"' in html


def applications_stored(env):
    import psycopg2

    with psycopg2.connect(env["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM members_joinapplication")
        return cursor.fetchone()[0]
