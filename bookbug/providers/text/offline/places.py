"""Places: finding where a story happens in a message, and saying it right in the book.

A place is read from a phrase such as "on Mars", "at the lake", "in grandma's garden" or
"set in a cozy seaside town", including places no chip offers. The brief keeps the noun
phrase ("the lake"); `Place` gives the book the preposition that goes with it ("at the lake",
"to the lake") and whether someone can live there, so the text never says "Sam lived in the lake".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACE_NOUNS = (
    "forest", "woods", "wood", "village", "town", "city", "castle", "garden", "ocean", "sea", "island", "jungle",
    "desert", "mountain", "mountains", "farm", "space", "school", "house", "home", "kingdom", "meadow", "beach",
    "cave", "river", "lake", "valley", "park", "zoo", "library", "bakery", "moon", "planet", "pond", "treehouse",
    "orchard", "harbour", "harbor", "lighthouse", "arctic", "reef", "clouds", "playground", "neighbourhood",
    "neighborhood", "street", "nursery", "museum", "ship", "spaceship", "rainforest", "swamp", "palace", "cottage",
    "backyard", "yard", "kitchen", "bedroom", "attic", "seaside", "campsite", "aquarium", "circus", "fair",
    "funfair", "market", "airport", "station", "pool", "hospital", "dentist", "kindergarten", "daycare",
    "preschool", "north pole", "south pole", "space station", "igloo", "hill", "hills", "field", "fields",
    "countryside", "coast", "bay", "shore", "cabin", "tent", "camp", "galaxy", "stars", "sky", "rocket",
    "apartment", "flat", "shop", "toy shop", "toyshop", "supermarket", "stadium", "theme park", "allotment",
    "greenhouse", "canyon", "volcano", "glacier", "iceberg", "waterfall", "trail", "riverbank", "bakery",
)

_ON = {"moon", "planet", "island", "farm", "ship", "boat", "train", "mountain", "mountaintop", "hill", "street",
       "plane", "spaceship", "rocket", "iceberg", "glacier", "space station", "volcano", "allotment", "coast",
       "shore", "riverbank", "trail"}
_AT = {"lake", "beach", "seaside", "zoo", "school", "museum", "library", "bakery", "pond", "river",
       "playground", "campsite", "fair", "funfair", "circus", "aquarium", "hospital", "dentist", "shop", "market",
       "airport", "station", "pool", "nursery", "kindergarten", "daycare", "preschool", "north pole", "south pole",
       "lighthouse", "waterfall", "camp", "supermarket", "stadium", "theme park", "toy shop", "toyshop", "harbour",
       "harbor", "bay", "home"}
_HOME = {"village", "town", "city", "house", "cottage", "farm", "castle", "palace", "kingdom", "island",
         "treehouse", "lighthouse", "neighbourhood", "neighborhood", "street", "forest", "woods", "wood", "valley",
         "apartment", "flat", "igloo", "cabin", "home", "jungle", "countryside", "meadow", "orchard"}
_NO_ARTICLE = {"space", "home"}
_PLANETS = {"mars", "jupiter", "saturn", "venus", "mercury", "neptune", "uranus", "pluto", "earth"}

_NOUNS = "|".join(sorted((re.escape(n) for n in PLACE_NOUNS), key=len, reverse=True))
_DET = r"(?:a|an|the|her|his|their|our|my|your|[A-Za-z]+'s)"
_CUE = (r"(?:set|takes? place|taking place|lives?|living|live|happens?|happening|stranded|trip|journey|holiday|"
        r"vacation|adventure|day|visit(?:s|ing)?|goes|going|went|travels?|travelling|traveling|flies|flying|fly|"
        r"sails?|sailing|go|explores?|exploring)")
_PREP = re.compile(r"\b(?P<prep>in|on|at|to|near|by|under|inside|around|across|through|into|onto|visit(?:s|ing)?|"
                   r"explor(?:e|es|ing))\s+", re.I)
_VEHICLES = {"ship", "spaceship", "rocket", "boat", "train", "plane"}
_TAIL_NOUNS = "|".join(sorted((re.escape(n) for n in PLACE_NOUNS if n not in _VEHICLES), key=len, reverse=True))
_TAIL = (r"(?P<tail>\s+(?:of|in|by|near|under|on)\s+(?:the\s+)?(?:[A-Za-z'-]+\s+){0,2}?(?:" + _TAIL_NOUNS +
         r"|(?-i:[A-Z][a-z]+))\b)?")
# Greedy first ("a small seaside town"), then the shortest phrase ("the forest" in "the forest near ...").
_PHRASES = (
    re.compile(r"(?P<np>(?:" + _DET + r"\s+)?(?:[A-Za-z'-]+\s+){0,3}(?:" + _NOUNS + r"))\b" + _TAIL, re.I),
    re.compile(r"(?P<np>(?:" + _DET + r"\s+)?(?:[A-Za-z'-]+\s+){0,3}?(?:" + _NOUNS + r"))\b" + _TAIL, re.I),
)
_PROPER = re.compile(r"\b(?P<prep>on|in|to|at|visit(?:s|ing)?|from)\s+(?P<np>(?:the\s+)?(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))")
_PREPOSITIONS = {"in", "on", "at", "to", "near", "by", "under", "inside", "around", "across", "through", "into", "for"}
_BAD_WORDS = {"a", "an", "the", "and", "who", "with", "where", "that", "which", "is", "was", "loves", "likes",
              "he", "she", "they", "it", "of", "to", "for", "his", "her"}


@dataclass(frozen=True)
class Place:
    name: str  # "the lake", "Mars", "grandma's garden"
    at: str  # "at the lake", "on Mars", "in grandma's garden"
    to: str  # "to the lake", "to Mars"
    home: bool  # someone can live there: "lived in the village"


def find(text: str, cast_names: set[str] | None = None) -> str | None:
    """The story's place as a noun phrase ("the lake", "Mars", "an enchanted forest"), or None."""
    cast = {n.lower() for n in cast_names or set()}
    found: list[tuple[int, int, str]] = []  # (priority, position, phrase)
    for prep in _PREP.finditer(text):
        match = None
        for phrase in _PHRASES:
            match = phrase.match(text, prep.end())
            if match is not None and not any(w.lower() in _BAD_WORDS or w.lower() in _PREPOSITIONS
                                             for w in match.group("np").split()[1:-1]):
                break
            match = None
        if match is None:
            continue
        words = match.group("np").split()
        np = " ".join(words) + (match.group("tail") or "")
        before = text[max(0, prep.start() - 40):prep.start()].lower()
        priority = 0 if re.search(_CUE + r"\s*$", before) or re.search(r"\bset\s*$", before) else 1
        found.append((priority, prep.start(), np))
    for match in _PROPER.finditer(text):
        np = match.group("np")
        bare = np.lower().removeprefix("the ")
        if bare in cast or bare in _NOT_PLACES or any(w.lower() in cast for w in np.split()):
            continue
        if match.group("prep").lower() == "from" and bare not in _PLANETS:
            continue
        found.append((0 if bare in _PLANETS or bare == "moon" else 2, match.start(), np))
    if not found:
        return None
    _, _, place = min(found)
    return _tidy(place)


_NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "christmas", "easter",
               "halloween", "january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "lego", "pixar", "disney", "comic", "manga", "anime", "watercolor",
               "watercolour", "gouache", "claymation", "crayon", "english", "spanish", "french", "portrait",
               "landscape", "square", "please", "and", "the", "surprise", "i", "it", "my", "her", "his", "bedtime"}


def _tidy(phrase: str) -> str:
    words = phrase.split()
    if words[0].lower() in {"my", "our", "your"}:
        words[0] = "the"  # "in our garden": the book's narrator is not the parent
    elif words[0] in {"The", "A", "An"}:
        words[0] = words[0].lower()
    elif words[0].lower().endswith("'s") and words[0].lower().removesuffix("'s") in _FAMILY_TITLES:
        words[0] = words[0].lower()  # "Grandma's garden" reads "grandma's garden" mid-sentence
    return " ".join(words)


_FAMILY_TITLES = {"grandma", "grandpa", "granny", "nana", "nan", "gran", "grandad", "mum", "mom", "dad", "auntie",
                  "uncle"}


def place_of(setting: str | None) -> Place:
    """How the book names and reaches the brief's setting."""
    name = short(setting or "home")
    lowered = name.lower()
    head = _head(lowered)
    bare = lowered.removeprefix("the ")
    if head in _NO_ARTICLE and bare == head:
        name = head
        return Place(name, f"{'at' if head == 'home' else 'in'} {head}", "home" if head == "home" else f"to {head}",
                     head == "home")
    if bare in _PLANETS or bare == "moon":
        return Place(name, f"on {name}", f"to {name}", False)
    if head in _ON:
        prep = "on"
    elif head in _AT or re.search(r"\b(?:bottom|top|edge|end) of\b", lowered):
        prep = "at"
    else:
        prep = "in"
    return Place(name, f"{prep} {name}", f"to {name}", head in _HOME)


def _head(phrase: str) -> str:
    """The place noun a phrase is about: "the bottom of the sea" -> "sea"; "grandma's big garden" -> "garden"."""
    first = re.split(r"\s+(?:of|in|by|near|under|on|with|where|that|full)\s+", phrase, maxsplit=1)[0]
    found = [(m.end(), -len(noun), noun) for noun in PLACE_NOUNS
             for m in [re.search(r"\b" + re.escape(noun) + r"\b", first)] if m]
    if found:
        return max(found)[2]  # the last place word is the head: "seaside town" is a town
    words = first.split()
    return words[-1] if words else phrase


def short(setting: str) -> str:
    """A place name short enough for page text: "a cozy seaside town with ..." -> "the cozy seaside town"."""
    head = re.split(r"[,.!?;:()\"]|\b(?:with|where|that|which|full of|filled with)\b", setting, maxsplit=1)[0]
    words = " ".join(head.strip().strip(".,;:!?\"'").split()).split()
    if not words:
        return "home"
    if words[0].lower() in {"a", "an", "my", "our", "your"}:
        words[0] = "the"
    if len(words) > 7:
        words = words[:7]
    while len(words) > 1 and words[-1].lower() in {"in", "the", "of", "a", "an", "by", "on", "near", "under"}:
        words.pop()
    first = words[0].lower()
    proper = words[0][:1].isupper() and first not in {"the", "a", "an"}
    if first in {"the", "her", "his", "their"} or first.endswith("'s") or proper:
        return " ".join(words)
    if " ".join(words).lower() in _NO_ARTICLE:
        return " ".join(words).lower()
    return " ".join(["the", *words])
