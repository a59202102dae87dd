"""The rules a field's value must follow: slugs, labels, free text, URLs, dates, numbers.

Each `check_*` function returns its value unchanged or raises ValueError with a message
for people; the record classes of `mmkg.records` apply them as pydantic validators.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

from mmkg.paths import CONFUSABLES_FILE

__all__ = [
    "check_slug",
    "check_label",
    "check_text",
    "check_url",
    "check_verbatim",
    "check_parameters",
    "check_day",
    "check_date",
    "check_year",
    "check_post_date",
    "name_skeleton",
    "MAX_PARAMETERS",
    "SLUG_PATTERN",
]

# Every pattern is applied with fullmatch: re.match(r"...$") also matches before a final
# line break, so "llava\n" would pass for a slug.
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
MAX_LABEL_LENGTH = 200
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z]")
#: http(s), then printable ASCII but for the characters RFC 3986 never allows unescaped;
#: a non-ASCII character in a URL is written percent-encoded.
URL_PATTERN = re.compile(r"https?://[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+")

#: The earliest date a record may give: MM-LLMs appear from 2019, the oldest website post
#: is of 2017 and the oldest works the data cites (e.g. MS-COCO, 2014) are later than 1990,
#: which also predates the web, so no access date can be older either.
EARLIEST_DATE = date(1990, 1, 1)
#: How far ahead of today a date may lie: a release may be announced for a coming day;
#: more than a year ahead is a typing slip.
LATEST_AHEAD = timedelta(days=366)

#: Parameter counts: the largest models reported have about 2 * 10^12 parameters (the
#: largest in the data has 4.02 * 10^11), so 10^13 leaves room; a stated count below 10^6
#: is a unit slip (7 for 7B) - the smallest in the data is 2.56 * 10^8.
MAX_PARAMETERS = 10**13
MIN_PARAMETERS = 10**6

#: Characters that render as nothing but are letters or symbols, not format characters.
INVISIBLE_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u034f")
#: Scripts whose letters are look-alikes of Latin ones ('а' CYRILLIC SMALL LETTER A, ...).
LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")
#: Cyrillic and Greek letters that look exactly like a Latin letter.
LATIN_LOOKALIKES = frozenset(
    "АВЕЅІЈКМНОРСТХУҮаеһіјорсхуѕԁԛԝӏ"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοϲ"  # Greek
)


def _shown(value: str) -> str:
    """*value* quoted for a message, with invisible characters escaped."""
    return "'" + "".join(c if c.isprintable() else ascii(c)[1:-1] for c in value) + "'"


def _character(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _check_characters(value: str, *, line_breaks: bool, other_spaces: bool) -> None:
    """Refuse control, format (zero-width, bidi), separator and other invisible characters.

    *line_breaks* allows "\\n" (descriptions); *other_spaces* allows spaces other than U+0020.
    """
    for char in value:
        if char == "\n" and line_breaks:
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            kind = "a control character"
        elif category == "Cf":
            kind = "an invisible format character (zero-width or bidirectional control)"
        elif category in ("Zl", "Zp"):
            kind = "a line or paragraph separator"
        elif category == "Cs":
            kind = "a lone surrogate"
        elif category == "Co":
            kind = "a private-use character"
        elif category == "Cn":
            kind = "an unassigned code point"
        elif char in INVISIBLE_FILLERS:
            kind = "an invisible filler character"
        elif category == "Zs" and char != " " and not other_spaces:
            kind = "a space other than the plain one; use a plain space"
        else:
            continue
        raise ValueError(
            f"contains {_character(char)}, {kind} (delete it; it often comes with pasted text)"
        )


def _check_nfc(value: str) -> None:
    if not unicodedata.is_normalized("NFC", value):
        raise ValueError(
            "is not in Unicode NFC form (a letter and its accent are written as two "
            "characters); save the text NFC-normalised so equal names compare equal"
        )


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def _words(value: str) -> list[str]:
    return [w for w in re.split(r"[^\w]|[\d_]", value) if w]


def _check_lookalikes(value: str) -> None:
    """Refuse styled letters, and Latin text that hides Cyrillic or Greek look-alikes."""
    for char in value:
        folded = unicodedata.normalize("NFKC", char)
        if not char.isascii() and folded != char and folded.isascii() and folded.isalnum():
            raise ValueError(
                f"'{char}' is a styled form of '{folded}' ({_character(char)}); "
                "use the plain character"
            )
    words = _words(value)
    latin = any(_script(c) == "LATIN" for c in value if c.isalpha())
    for word in words:
        scripts = {_script(c) for c in word if c.isalpha()}
        others = [s for s in LOOKALIKE_SCRIPTS if s in scripts]
        if "LATIN" in scripts and others:
            char = next(c for c in word if _script(c) == others[0])
            raise ValueError(
                f"mixes Latin and {others[0].title()} letters in '{word}' ('{char}' is "
                f"{_character(char)}); write the word in Latin letters"
            )
        if latin and all(c in LATIN_LOOKALIKES for c in word):
            raise ValueError(
                f"'{word}' is written in {_script(word[0]).title()} letters that look Latin; "
                "write it in Latin letters"
            )


def check_slug(value: str) -> str:
    if not SLUG_PATTERN.fullmatch(value):
        raise ValueError(
            f"{_shown(value)} is not a slug: use lower-case letters, digits, '-' and '.' "
            "(e.g. 'llava-1.5')"
        )
    return value


def check_label(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if value != value.strip() or "  " in value:
        raise ValueError(f"{_shown(value)} has leading, trailing or doubled white space")
    _check_characters(value, line_breaks=False, other_spaces=False)
    _check_nfc(value)
    if not any(unicodedata.category(c)[0] in "LNPS" for c in value):
        raise ValueError("is invisible: it has no visible character")
    _check_lookalikes(value)
    if len(value) > MAX_LABEL_LENGTH:
        raise ValueError(f"is {len(value)} characters long; at most {MAX_LABEL_LENGTH}")
    if HTML_TAG.search(value):
        raise ValueError(f"{_shown(value)} looks like HTML markup; labels are plain text")
    return value


def check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    _check_characters(value, line_breaks=True, other_spaces=False)
    _check_nfc(value)
    if not any(unicodedata.category(c)[0] in "LNPS" for c in value):
        raise ValueError("is invisible: it has no visible character")
    if HTML_TAG.search(value):
        raise ValueError("looks like HTML markup; descriptions are plain text")
    return value


def check_verbatim(value: str) -> str:
    """A string of the raw layer: kept as the source wrote it, but nothing invisible."""
    _check_characters(value, line_breaks=True, other_spaces=True)
    if HTML_TAG.search(value):
        raise ValueError(
            f"{_shown(value)} looks like HTML markup; the raw layer keeps the text a page "
            "shows, not its markup (re-import the post, or write the words without tags)"
        )
    return value


def check_url(value: str) -> str:
    bad = ValueError(
        f"{_shown(value)} is not an http(s) URL: write http:// or https://, a host, and "
        "the path with any other character percent-encoded"
    )
    if not URL_PATTERN.fullmatch(value):
        raise bad
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise bad from None
    if not parts.hostname or "@" in parts.netloc:
        raise bad
    return value


def _parse_date(value: str, *, day_only: bool) -> date:
    pattern = (
        r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
        if day_only
        else (r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
    )
    match = re.fullmatch(pattern, value)
    if not match:
        raise ValueError(
            f"{_shown(value)} must be YYYY-MM-DD" + ("" if day_only else " or YYYY-MM")
        )
    year, month, day = match.groups()
    try:
        return date(int(year), int(month), int(day or 1))
    except ValueError:
        raise ValueError(f"{_shown(value)} is not a real date (no such month or day)") from None


def _check_plausible(day: date, shown: str) -> None:
    if day < EARLIEST_DATE:
        raise ValueError(
            f"{shown} is before {EARLIEST_DATE.isoformat()}: no date of this field is that old"
        )
    if day > date.today() + LATEST_AHEAD:
        raise ValueError(f"{shown} is more than a year from today")


def check_date(value: str) -> str:
    _check_plausible(_parse_date(value, day_only=False), _shown(value))
    return value


def check_day(value: str) -> str:
    _check_plausible(_parse_date(value, day_only=True), _shown(value))
    return value


def check_year(value: int) -> int:
    last = date.today().year + 1
    if not EARLIEST_DATE.year <= value <= last:
        raise ValueError(f"venue year {value} is not between {EARLIEST_DATE.year} and {last}")
    return value


def check_parameters(value: int) -> int:
    if value < MIN_PARAMETERS:
        raise ValueError(
            f"{value} parameters is below 10^6, a unit slip: write the full number "
            "(7000000000 for 7B)"
        )
    return value


def check_post_date(value: str) -> str:
    try:
        posted = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return value  # the loader reports a malformed date on the record that uses the post
    if posted.date() < EARLIEST_DATE:
        raise ValueError(f"the post's date {_shown(value)} is before {EARLIEST_DATE.isoformat()}")
    return value


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype, from Unicode's confusables.txt (UTS #39)."""
    table: dict[str, str] = {}
    for line in CONFUSABLES_FILE.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) >= 2 and fields[0].strip():
            source, target = fields[0].split(), fields[1].split()
            table[chr(int(source[0], 16))] = "".join(chr(int(c, 16)) for c in target)
    return table


def name_skeleton(value: str) -> str:
    """The UTS #39 skeleton of *value*, case-folded: names that look alike share it.

    >>> name_skeleton("LLaVA\u20101.5") == name_skeleton("llava-l.5")
    True
    """
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", value)
    mapped = "".join(prototypes.get(c, c) for c in decomposed)
    return unicodedata.normalize("NFD", mapped).casefold()
