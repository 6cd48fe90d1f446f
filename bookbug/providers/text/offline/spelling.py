"""Tidying what parents type before it is read: shorthand spelled out, typos of the words the
readers look for corrected ("grandama" -> "grandma", "watercolr" -> "watercolor", "pgs" -> "pages").

Only words the English dictionary does not know are touched, and only towards a word the
readers know, so real words ("plant", "cattle") and names ("Kofi") are left alone. The
dictionary is pyspellchecker's word list (pure Python, shipped in the package).
"""

from __future__ import annotations

import difflib
import functools
import re

from bookbug.providers.text.offline import lexicon

_SHORTHAND = {
    "yo": "year old", "y/o": "year old", "yr": "year", "yrs": "years", "yro": "year old", "pgs": "pages", "pg": "page",
    "lil": "little", "bday": "birthday", "b-day": "birthday", "gma": "grandma", "gpa": "grandpa", "grandmom": "grandma",
    "pls": "please", "plz": "please", "thx": "thanks", "u": "you", "ur": "your", "w/": "with", "bc": "because",
    "b/c": "because", "abt": "about", "gf": "girlfriend", "bff": "best friend", "bf": "best friend", "n": "and",
    "&": "and", "+": "and", "wanna": "want to", "gonna": "going to", "kinda": "kind of", "sis": "sister",
    "bro": "brother", "fav": "favourite", "fave": "favourite", "dino": "dinosaur", "dinos": "dinosaurs",
    "teh": "the", "adn": "and", "nad": "and", "hte": "the", "waht": "what", "wiht": "with", "abotu": "about",
    "graet": "great", "freind": "friend", "freinds": "friends", "grandaughter": "granddaughter", "neice": "niece",
    "doughter": "daughter", "hes": "he's", "shes": "she's", "theyre": "they're", "im": "I'm", "dont": "don't",
    "cant": "can't", "wont": "won't", "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "dauther": "daughter", "dautgher": "daughter",
}

_EXTRA_WORDS = (
    "pages", "years", "daughter", "watercolor", "watercolour", "illustrations", "pictures", "adventure", "please",
    "style", "dinosaurs", "dinosaur", "birthday", "grandson", "granddaughter", "landscape", "portrait", "square",
    "afraid", "bedtime", "unicorns", "robots", "dragons", "dragon", "princess", "pirates", "space", "claymation",
    "gouache", "pixel", "sketch", "pencil", "crayon", "crayons", "comic", "manga", "anime", "cartoon", "story",
    "teaches", "learns", "little", "favourite", "favorite", "lesson", "moral", "friendship", "kindness", "bravery",
)


@functools.cache
def _dictionary():
    from spellchecker import SpellChecker  # loaded once, on first use (its word list takes ~0.1 s)

    return SpellChecker(distance=1)


@functools.cache
def _vocabulary() -> tuple[str, ...]:
    from bookbug.providers.text.offline import places, styles

    words = {*lexicon.KIN, *lexicon.CHILD_WORDS, *lexicon.PETS, *lexicon.CREATURES, *lexicon.TOYS,
             *places.PLACE_NOUNS, *styles.STYLE_WORDS, *_EXTRA_WORDS}
    return tuple(sorted(w for w in words if " " not in w and len(w) >= 4))


def tidy(text: str) -> str:
    """`text` with shorthand spelled out and misspelled domain words corrected; the rest as typed."""
    text = re.sub(r"(\d)\s*(yo|y/o|yrs?|yro)\b", r"\1 \2", text, flags=re.I)  # "7yo" -> "7 yo"
    return re.sub(r"(?<![\w'])[A-Za-z][A-Za-z/'&+-]*", lambda m: _fix(m.group(0)), text)


def _fix(word: str) -> str:
    lowered = word.lower()
    if lowered in _SHORTHAND and (word.islower() or len(word) > 2):
        return _SHORTHAND[lowered]
    if not word.islower() or len(word) < 4 or "'" in word:
        return word  # names, "I", contractions
    vocabulary = _vocabulary()
    if lowered in vocabulary or lowered.rstrip("s") in vocabulary:
        return word
    if _dictionary().known([lowered]):
        return word
    close = difflib.get_close_matches(lowered, vocabulary, n=1, cutoff=0.8)
    if not close:
        plural = difflib.get_close_matches(lowered.rstrip("s"), vocabulary, n=1, cutoff=0.8)
        return plural[0] + "s" if plural and lowered.endswith("s") else word
    return close[0]
