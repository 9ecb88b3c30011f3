"""Vietnamese alphabetical order, the same on PostgreSQL and SQLite and in Python.

Byte or codepoint order puts "Than Uyên" before "Tân Uyên" and names starting with Đ after "Vũ";
a person looks for them in the order of the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ
p q r s t u ư v x y), tones deciding only between otherwise equal words. PostgreSQL has this as the
ICU collation "vi-x-icu"; SQLite gets a collation "vi" with the same order from vi_key below."""
import functools
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate

SQLITE_COLLATION = "vi"
POSTGRES_COLLATION = "vi-x-icu"

# f, j, w, z are not Vietnamese letters but a foreign word may have them: they go where ICU puts them.
ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER = {letter: i for i, letter in enumerate(ALPHABET)}
# The marks that make a letter of its own (ă â ê ô ơ ư) and the tones, in ICU's order:
# none, huyền, hỏi, ngã, sắc, nặng.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _split(char):
    """(letter with its own marks, tone) of one character, e.g. 'ấ' -> ('â', 4)."""
    decomposed = unicodedata.normalize("NFD", char)
    base, tone = decomposed[0], 0
    marks = ""
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            marks += mark
    return unicodedata.normalize("NFC", base + marks), tone


@functools.lru_cache(maxsize=20000)
def vi_key(text):
    """A sort key giving Vietnamese order: letters first by the alphabet, then tones, then lower before
    upper case. Spaces come before punctuation, punctuation before digits, digits before letters
    (as in ICU)."""
    text = unicodedata.normalize("NFC", text or "")
    primary, tones, cases = [], [], []
    for char in text:
        letter, tone = _split(char.lower())
        if letter in _LETTER:
            primary.append((3, _LETTER[letter]))
        elif char.isspace():
            primary.append((0, 0))
        elif char.isdigit():
            primary.append((2, unicodedata.digit(char, 0)))
        elif char.isalpha():
            primary.append((3, len(ALPHABET) + ord(letter)))
        else:
            primary.append((1, ord(char)))
        tones.append(tone)
        cases.append(0 if char == char.lower() else 1)
    return tuple(primary), tuple(tones), tuple(cases), text


def vi_compare(a, b):
    ka, kb = vi_key(a), vi_key(b)
    return (ka > kb) - (ka < kb)


class ViOrder(Collate):
    """The expression `field` in Vietnamese order, for order_by() on either database."""

    def __init__(self, expression):
        super().__init__(expression, SQLITE_COLLATION)

    def as_postgresql(self, compiler, connection, **extra_context):
        extra_context.setdefault("collation", connection.ops.quote_name(POSTGRES_COLLATION))
        return self.as_sql(compiler, connection, **extra_context)


def vi_order(field, *, descending=False):
    """Use in order_by(): vi_order("name"), vi_order("parent__name")."""
    expression = ViOrder(F(field))
    return expression.desc() if descending else expression.asc()


def _register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, vi_compare)


connection_created.connect(_register_sqlite_collation, dispatch_uid="clubs.collation.vi")
