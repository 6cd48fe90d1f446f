"""Reading plain answers: ages, page counts, formats, names given alone, the tone, the moral, interests.

Each reader looks for one kind of fact in free text and returns None when it is not there.
They run on every answer, so a pasted paragraph fills every field it mentions at once.
"""

from __future__ import annotations

import re
from bookbug.story.formats import FORMATS
from bookbug.story.page_count import MAX_PAGES, MIN_PAGES
from bookbug.story.reading_level import MAX_AGE, MIN_AGE

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "sixteen": 16, "twenty": 20, "twenty-four": 24, "thirty-two": 32,
}
_NUM = r"(\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"

# Capitalised words that are not names (sentence starts, pronouns, places in a phrase).
_NOT_NAMES = {
    "a", "an", "the", "my", "our", "his", "her", "their", "she", "he", "they", "it", "i", "we", "you", "this",
    "that", "there", "and", "but", "or", "so", "then", "when", "once", "one", "in", "on", "at", "with", "about",
    "make", "please", "yes", "no", "ok", "okay", "hi", "hello", "maybe", "surprise", "story", "book", "ages",
    "age", "years", "watercolor", "watercolour", "gouache", "crayon", "claymation", "chibi", "square",
    "landscape", "portrait", "love", "loves", "likes", "write", "set", "every", "hers", "its", "what",
    "who", "where", "how", "why", "year", "old", "months", "pages", "page", "is", "was", "be", "lets", "let's", "your", "not", "some", "all",
    "little", "big", "grandma", "grandpa", "mom", "mum", "dad", "mommy", "daddy", "monday", "sunday",
}

_SURPRISE = re.compile(r"\b(surprise me|you (choose|pick|decide)|dealer'?s choice|up to you|dealers choice|anything is fine|you can choose)\b", re.I)
_SKIP = re.compile(r"^\s*(skip|no|nope|none|not sure|don'?t know|i don'?t mind|doesn'?t matter|no preference|whatever|any|pass|n/?a)\s*[.!]*\s*$", re.I)


def number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def wants_surprise(text: str) -> bool:
    return bool(_SURPRISE.search(text))


def skips(text: str) -> bool:
    """The user passes on the question ("not sure", "skip", "no preference")."""
    return bool(_SKIP.match(text))


def page_count(text: str) -> int | None:
    match = re.search(_NUM + r"\s*(?:-\s*)?pages?\b", text, re.I)
    if not match:
        return None
    value = number(match.group(1))
    return None if value is None else max(MIN_PAGES, min(MAX_PAGES, value))


def age_range(text: str, *, asked: bool = False) -> tuple[int, int] | None:
    """Ages from "she's 4", "ages 3-5", "4 to 6 years", "three years old"; bare numbers only when asked."""
    patterns = [
        r"\bages?\s*" + _NUM + r"\s*(?:-|–|to|and)\s*" + _NUM,
        _NUM + r"\s*(?:-|–|to)\s*" + _NUM + r"\s*(?:years?|yrs?|y/?o)",
        _NUM + r"\s*(?:-|\s)?(?:years?|yrs?)(?:\s*-?\s*old)?",
        r"\b(?:aged?|turning|turned)\s+" + _NUM,
        r"\b(?:she|he|they|who)(?:'s| is| are)\s+" + _NUM + r"\b(?!\s*pages?)",
        r"\b(?-i:[A-Z][a-z]+)(?:'s| is)\s+(?:just\s+|almost\s+|nearly\s+)?" + _NUM + r"\b(?!\s*(?:pages?|beats?))",
        r"\b" + _CHILD + r"(?:'s| is| turns| turned| just turned)\s+(?:just\s+|almost\s+|nearly\s+|now\s+)?" + _NUM
        + r"\b(?!\s*(?:pages?|beats?))",
        r"\bfor (?:a|an|my|our)\s+" + _NUM + r"\b(?!\s*(?:pages?|beats?))",
        _NUM + r"\s*y/?o\b",
    ]
    if asked:
        patterns += [_NUM + r"\s*(?:-|–|to)\s*" + _NUM + r"(?!\s*pages?)", r"^\D*?" + _NUM + r"(?!\s*pages?)\b"]
    for pattern in patterns:
        match = re.search(pattern, text, re.I)
        if not match:
            continue
        values = [number(g) for g in match.groups() if g is not None]
        ages = [v for v in values if v is not None]
        if not ages:
            continue
        low, high = min(ages), max(ages)
        if low > MAX_AGE or high < MIN_AGE:
            continue
        return max(MIN_AGE, low), min(MAX_AGE, high)
    return None


def book_format(text: str, *, asked: bool = False) -> str | None:
    """A print format from its label or size ("Portrait 6 x 9 in", "8.5x11"); loose words only when asked."""
    lowered = text.lower().replace("\u00d7", "x")
    for name, fmt in FORMATS.items():
        if fmt.label.lower() in lowered or name in lowered:
            return name
    sized = [("portrait-large", r"8\.5\s*x\s*11"), ("portrait-small", r"\b6\s*x\s*9\b"), ("landscape", r"\b9\s*x\s*7\b"),
             ("square-small", r"7\.5\s*(?:in|inch|\")")]
    for name, pattern in sized:
        if re.search(pattern, lowered):
            return name
    shape = re.search(r"\b(small|large|big)?\s*(square|landscape|portrait|wide|tall)\b(?:\s+(small|large|big))?(\s+(?:book|format|size|shape))?", lowered)
    if shape is None or not (asked or shape.group(4)):
        return None
    small = "small" in (shape.group(1) or "", shape.group(3) or "")
    kind = {"wide": "landscape", "tall": "portrait"}.get(shape.group(2), shape.group(2))
    if kind == "landscape":
        return "landscape"
    return f"{kind}-{'small' if small else 'large'}"


_NAME = r"([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)"
_CHILD = r"(?:daughter|son|girl|boy|granddaughter|grandson|niece|nephew|kid|child|toddler|little one|baby|hero|heroine)"


def hero_name(text: str, *, asked: bool = False) -> str | None:
    patterns = [
        rf"\b{_CHILD}(?:'s name is|,)?\s+(?:named|called|is)?\s*{_NAME}",
        rf"\b(?:named|called)\s+{_NAME}",
        rf"\bname(?:'s| is)\s+{_NAME}",
        rf"\bhero(?:ine)? is\s+{_NAME}",
        rf"\b(?:about|for|starring|stars)\s+{_NAME}\b",
        rf"^{_NAME}\s*(?:,|\(|is\b|who\b|loves\b|likes\b|\d)",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, text.strip()):
            if _plausible_name(match.group(1)):
                return match.group(1)
    if asked:
        words = re.findall(r"[A-Za-z][a-z'-]+", text)
        if 1 <= len(words) <= 3:
            for word in words:
                if _plausible_name(word):
                    return word[:1].upper() + word[1:]
        capitalised = [w for w in re.findall(_NAME, text) if _plausible_name(w)]
        if capitalised:
            return capitalised[0]
    return None


def _plausible_name(word: str) -> bool:
    from bookbug.providers.text.offline import lexicon

    lowered = word.lower()
    return (2 <= len(word) <= 20 and lowered not in _NOT_NAMES and lowered not in lexicon.NOT_NAMES
            and lowered not in lexicon.CREATURES and lowered not in lexicon.KIN and lowered not in lexicon.CHILD_WORDS)


def moral(text: str) -> str | None:
    patterns = [
        r"\b(?:moral|lesson|message)(?: is| should be| of the story is|:)\s*(?:that\s+)?([^.;!?]+)",
        r"\blearns?(?: that| about)\s+([^.;!?]+)",
        r"\b(?:story|book|it|that|which) (?:should |could |would |will )?(?:teach|teaches|shows?)"
        r"(?: (?:her|him|them|kids|children|the kids))?(?: that| about| how)\s+([^.;!?]+)",
        r"\b(?:theme|themes)(?: is| should be| of|:)\s*(?:about\s+)?([^.;!?]+)",
        r"\babout (being (?:brave|kind|patient|honest|yourself|a good friend|gentle|generous)|sharing|kindness|friendship|"
        r"courage|patience|honesty|teamwork|perseverance|never giving up|trying again|bravery|empathy|gratitude|"
        r"helping others|working together|believing in yourself)\b",
    ]
    for pattern in patterns:
        match = re.search(pattern, text, re.I)
        if match:
            return clean_phrase(match.group(1))
    return None


_TONES = {
    "bedtime": "calm bedtime story", "funny": "funny and silly", "silly": "funny and silly", "hilarious": "funny and silly",
    "cozy": "cozy and gentle", "cosy": "cozy and gentle", "gentle": "cozy and gentle", "calm": "calm bedtime story",
    "sleepy": "calm bedtime story", "soothing": "calm bedtime story", "adventur": "a big, exciting adventure",
    "exciting": "a big, exciting adventure", "magical": "magical and full of wonder", "heartwarming": "heartwarming",
    "sweet": "sweet and warm",
}


def tone(text: str, *, asked: bool = False) -> str | None:
    """The feel of the book. Unasked, a mood word counts only next to a cue ("a funny story",
    "the tone should be calm"), so "a cozy seaside town" describes a place, not the tone."""
    lowered = text.lower()
    if not asked and not re.search(r"\b(tone|feel|feeling|mood|vibe)\b", lowered):
        cued = r"\b(?:" + "|".join(_TONES) + r")\w*(?:\s+\w+)?\s+(?:story|book|tale|adventure|read)\b"
        made = r"\b(?:make it|keep it|make the story|something|nice and|should be)\s+(?:\w+\s+)?(?:" + "|".join(_TONES) + r")"
        if re.search(r"\b(?:a|an)\s+(?:\w+\s+)?adventure\b", lowered) and not re.search(cued, lowered):
            return _TONES["adventur"]
        alone = (r"(?:^|[,.!;:]\s*)(?:\w+\s+)?(?:" + "|".join(_TONES) + r")\w*(?:\s+and\s+\w+)?\s*(?:[,.!;]|$)")
        if not re.search(cued, lowered) and not re.search(made, lowered) and not re.search(alone, lowered):
            return None
    for word, label in _TONES.items():
        if re.search(r"\b" + word, lowered) and not re.search(r"\b(?:not|no|isn't|without)\s+\w*\s*" + word, lowered):
            return label
    return None


def interests(text: str) -> list[str]:
    match = re.search(r"\b(?:loves?|likes|(?:he|she|they|i|we) like|is into|obsessed with|crazy about|"
                      r"favou?rite things? (?:is|are))\s+([^.;!?]+)", text, re.I)
    if not match:
        return []
    return split_list(match.group(1))


def split_list(text: str) -> list[str]:
    parts = re.split(r",|\band\b|&|/|\bor\b", text)
    items = [clean_phrase(p) for p in parts]
    return [i for i in items if i and len(i.split()) <= 5][:5]


def title(text: str) -> str | None:
    match = re.search(r"\b(?:called|titled|title is|title:)\s*[\"“']([^\"”']{2,80})[\"”']", text, re.I)
    return match.group(1).strip() if match else None


def instructions(text: str) -> str | None:
    found = re.findall(r"(?:^|[.!?]\s+)((?:please|make sure|don'?t|do not|avoid|no)\b[^.!?]*)", text, re.I)
    return "; ".join(clean_phrase(f) for f in found) or None


def clean_phrase(text: str) -> str:
    return " ".join(text.strip().strip(".,;:!?\"'“”").split())


