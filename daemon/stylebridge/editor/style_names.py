"""Style names as painters read them: 'composition-vii' -> 'Composition VII'.

One function for both plugins (gallery, blend sliders, layer names). The table holds the bundled
styles whose title is not the plain title-cased name (ATTRIBUTION.md has the full titles); every
other name, a user's own style included, is title-cased with Roman numerals kept upper case and
short joining words kept lower case. Stdlib only, Python 3.8+ (runs inside the editors)."""

from __future__ import annotations

import re

TITLES: dict[str, str] = {
    "black-white-zigzag": "Black and White Zigzag",
    "vallotton-camille-mauclair": "Camille Mauclair (Vallotton)",
    "van-doesburg-composition-xiii": "Composition XIII (van Doesburg)",
}
# Lower case inside a title (never as its first word), as English titles write them.
SMALL_WORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "in", "of", "off", "on", "or", "the", "to", "with"}
)
# Roman numerals up to 399 ('vii', 'xiii'); without d and m, so 'mix' or 'dim' stay words.
ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def _word(word: str, first: bool) -> str:
    lowered = word.lower()
    if ROMAN.match(lowered):
        return lowered.upper()
    if lowered in SMALL_WORDS and not first:
        return lowered
    return word[:1].upper() + word[1:]


def style_title(name: str) -> str:
    """The style's display title: 'great-wave-off-kanagawa' -> 'Great Wave off Kanagawa'."""
    if name in TITLES:
        return TITLES[name]
    words = [w for w in re.split(r"[-_\s]+", name.strip()) if w]
    return " ".join(_word(w, i == 0) for i, w in enumerate(words)) or name
