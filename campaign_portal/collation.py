"""Names sorted by their pinyin, as Chinese readers look for them, in both databases.

Both databases get a collation named `pinyin`, and lists of names order by `by_pinyin("name")`
(`Collate("name", "pinyin")`), so the database sorts and indexes them itself, however long the list.

- PostgreSQL: an ICU collation (zh-u-co-pinyin), created by migration campaign_portal 0003.
- SQLite: a comparison function registered on every new connection (see CampaignPortalConfig.ready),
  before migrations run, so that an index on a name in pinyin order can be built and kept.

The SQLite function compares character by character, as ICU does: characters that are not letters
(digits, punctuation, spaces) first, then Chinese characters by their most common reading and tone
(pypinyin's), then Chinese characters pypinyin does not know, then other letters (Latin, Tibetan...);
ties within each group go by code point. ICU reads a few characters otherwise (it files 重 under
chóng where pypinyin says zhòng), so the two databases may differ on such names, never on the order
of plain readings.
"""

import functools

from django.db.models.functions import Collate

PINYIN = "pinyin"

# Each character becomes a code of fixed width (group, reading, tone, code point), so that comparing the
# codes of two names as strings compares them character by character.
_READING_WIDTH = 6  # zhuang, shuang, chuang
_NOT_A_LETTER, _HAN, _HAN_UNREAD, _OTHER_LETTER = "0", "1", "2", "3"
_character_codes = {}


def by_pinyin(expression):
    """An ordering (or an index) of a text column in pinyin order."""
    return Collate(expression, PINYIN)


def _is_han(character):
    point = ord(character)
    return 0x3400 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF or 0x20000 <= point <= 0x3FFFF


def _reading(character):
    """The most common reading of a Chinese character as (letters, tone), or None when pypinyin has none."""
    from pypinyin import Style, pinyin  # loaded only where SQLite sorts: its tables take some 50 MB

    readings = pinyin(character, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda _unknown: None)
    if not readings or not readings[0] or not readings[0][0][-1:].isdigit():
        return None
    spelt = readings[0][0]
    return spelt[:-1], spelt[-1]


def _character_code(character):
    code = _character_codes.get(character)
    if code is None:
        reading = _reading(character) if _is_han(character) else None
        if reading:
            group, letters, tone = _HAN, *reading
        elif _is_han(character):
            group, letters, tone = _HAN_UNREAD, "", "0"
        elif character.isalpha():
            group, letters, tone = _OTHER_LETTER, character.casefold(), "0"
        else:
            group, letters, tone = _NOT_A_LETTER, "", "0"
        # Letters that differ only in case weigh the same here; the case decides only between names that
        # are otherwise equal (see pinyin_sort_key).
        point = ord(letters[0]) if group == _OTHER_LETTER else ord(character)
        code = f"{group}{letters[:_READING_WIDTH]:<{_READING_WIDTH}}{tone}{point:06x}"
        _character_codes[character] = code
    return code


@functools.lru_cache(maxsize=16384)
def pinyin_sort_key(text):
    """The characters' codes, then the text itself to tell apart names whose codes are equal (ab, AB)."""
    return "".join(map(_character_code, text)) + "\x00" + text


def compare_by_pinyin(left, right):
    """SQLite's collation function: negative, zero or positive as `left` sorts before, with or after `right`."""
    left_key, right_key = pinyin_sort_key(left), pinyin_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender, connection, **kwargs):
    """Receiver of connection_created: every SQLite connection learns the pinyin collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(PINYIN, compare_by_pinyin)
