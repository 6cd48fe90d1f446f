"""Reading who is in a story: the child, their family and friends, pets, toys and creatures.

People are found by what they are to the child ("his grandma", "big sister Ava", "our dog
Biscuit") and by the ways a name is given: "a robot called Bolt", "Bolt the robot", "the
robot is called Bolt", "her teddy, Mr Buttons", "grandpa Joe". Each mention keeps where it
sits in the message, so the premise can be told with names instead of "his grandma".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bookbug.providers.text.offline import english, lexicon, places
from bookbug.story.reading_level import MAX_AGE, MIN_AGE

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}
_NUM = r"(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"

_DETERMINERS = {"a", "an", "the", "my", "our", "his", "her", "their", "your", "its", "this", "that", "some", "one"}
_POSSESSIVES = {"my", "our", "his", "her", "their", "your"}
_STOP = lexicon.NOT_NAMES | {"who", "which", "that", "where", "when", "while", "because", "if", "as"}
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "captain", "professor", "sir", "lady", "princess", "prince", "king",
           "queen", "auntie", "aunt", "uncle", "grandma", "grandpa", "nana", "granny", "baby", "little", "big",
           "mister", "madam", "doctor", "officer", "farmer", "chef", "coach"}
_CALLED = {"called", "named", "nicknamed"}
_FORMAL = {"grandmother", "grandfather", "aunt", "teacher", "grandmama", "grandpapa", "granddaddy", "mother", "father",
           "sister", "brother", "sibling", "cousin", "godmother", "godfather"}
_PLURAL_CHILDREN = {"kids": None, "children": None, "twins": None, "boys": "male", "girls": "female",
                    "grandkids": None, "grandchildren": None, "sons": "male", "daughters": "female"}


@dataclass
class Person:
    kind: str  # what they are: "grandma", "sister", "dog", "robot", "son", or "child" for a bare name
    role: str  # hero, family, friend, pet, companion
    name: str | None = None  # as the book will call them: "Grandpa Joe", "Ava", "Bolt"
    gender: str | None = None
    age: int | None = None
    adjectives: tuple[str, ...] = ()
    about: str = ""  # "who talks in beeps"
    owner: str | None = None  # "Sam's grandma" -> "Sam"
    determiner: str | None = None
    start: int = 0
    end: int = 0

    @property
    def title(self) -> str:
        """How the book calls this person when no name was given: "Grandma", "Big Sister", "the robot"."""
        kin = lexicon.KIN.get(self.kind)
        if kin is not None and kin.role == "family" and self.kind not in _FORMAL and not self.adjectives:
            return self.kind.title()  # the family's own word: "Nana", "Grandad", "Daddy"
        if kin is not None:
            modifier = next((a for a in self.adjectives if a in lexicon.KIN_MODIFIERS and a not in {"best", "new"}), "")
            return english.capitalise(f"{modifier} {kin.title}".strip().title() if modifier else kin.title)
        return self.kind


@dataclass
class Cast:
    hero: Person | None = None
    others: list[Person] = field(default_factory=list)
    # Ages of the children the book is for (the hero and any brothers or sisters it names).
    child_ages: list[int] = field(default_factory=list)

    def everyone(self) -> list[Person]:
        return ([self.hero] if self.hero else []) + self.others


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(0), m.start(), m.end())
            for m in re.finditer(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’-]*|\d+|[^\sA-Za-z\d]", text)]


def number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


# ---------------------------------------------------------------------------------------- kinds


def _kind_at(tokens: list[_Token], i: int) -> tuple[str, str, int, bool] | None:
    """(kind, category, tokens used, plural) for a kind word starting at token i."""
    for width in (2, 1):
        if i + width > len(tokens):
            continue
        words = [t.low.replace("’", "'") for t in tokens[i:i + width]]
        if any(not w[:1].isalpha() for w in words):
            continue
        phrase = " ".join(words)
        possessive = phrase.endswith("'s")
        if possessive:
            phrase = phrase[:-2]
        for candidate, plural in ((phrase, False), (phrase[:-1], True), (phrase[:-2], True)):
            if plural and not phrase.endswith("s"):
                continue
            if plural and candidate + ("s" if phrase.endswith("s") and not phrase.endswith("es") else "es") != phrase \
                    and candidate + "s" != phrase:
                continue
            category = _category(candidate)
            if category is not None:
                return candidate, category, width, plural
    return None


def _category(word: str) -> str | None:
    if word in lexicon.CHILD_WORDS:
        return "child"
    if word in lexicon.KIN:
        return "kin"
    if word in lexicon.TOYS:
        return "toy"
    if word in lexicon.CREATURES or word in lexicon.PETS:
        return "creature"
    return None


def _is_name(token: _Token | None, *, loose: bool = False) -> bool:
    """A capitalised word that can be a name ("Bolt", "Mia"); `loose` also takes lowercase ("joe")."""
    if token is None or not token.text[:1].isalpha():
        return False
    word = token.low.replace("’", "'")
    if word in _STOP or _category(word) is not None or word.endswith("'s") or len(word) < 2 or len(word) > 20:
        return False
    if word in places.PLACE_NOUNS:
        return False
    if token.text[:1].isupper():
        return True
    if not loose or word.endswith(("ing", "ly", "ed")):
        return False
    return not any(base in lexicon.ACTION_VERBS or base in lexicon.STATE_VERBS for base in english.base_candidates(word))


def _name_at(tokens: list[_Token], i: int, *, loose: bool = False) -> tuple[str, int] | None:
    """A name starting at token i: "Bolt", "Mr Buttons", "Captain Fluff"; (name, tokens used)."""
    token = tokens[i] if i < len(tokens) else None
    if token is None:
        return None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.low.rstrip(".") in _TITLES and token.text[:1].isupper() and _is_name(nxt, loose=loose):
        return f"{token.text.rstrip('.')} {_cap(nxt.text)}", 2  # type: ignore[union-attr]  # _is_name() is False for None
    if token.low in {"mr", "mrs", "ms", "dr"} and nxt is not None and nxt.text == "." and i + 2 < len(tokens) \
            and _is_name(tokens[i + 2], loose=loose):
        return f"{token.text} {_cap(tokens[i + 2].text)}", 3
    if _is_name(token, loose=loose):
        return _cap(token.text), 1
    return None


def _cap(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


# ---------------------------------------------------------------------------------------- reading


def read(text: str) -> Cast:
    """Everyone the message mentions, the child first when it says who the book is for."""
    tokens = _tokens(text)
    people: list[Person] = []
    used: set[int] = set()  # tokens already part of someone
    i = 0
    while i < len(tokens):
        if tokens[i].low in _PLURAL_CHILDREN and i > 0 and tokens[i - 1].low in _POSSESSIVES | {"the"}:
            people += _plural_children(tokens, i, 1, tokens[i].low, used)
            i += 1
            continue
        found = _kind_at(tokens, i)
        if found is None:
            i += 1
            continue
        kind, category, width, plural = found
        if plural:
            people += _plural_children(tokens, i, width, kind, used)
            i += width
            continue
        person = _mention(text, tokens, i, width, kind, category, used)
        if person is not None:
            people.append(person)
        i += width
    people += _bare_names(text, tokens, used, people)
    _read_ages(text, people)
    for person in people:
        person.about = _about(text, person)
        if person.role == "mentioned" and person.about:
            person.role = "companion"
    return _arrange(text, people)


def _about(text: str, person: Person) -> str:
    """What the message says about them right after naming them: "who talks in beeps"."""
    clause = re.match(r"\s*,?\s*((?:who|that|which)\s+[^.;!?]+)", text[person.end:])
    if clause is None:
        # "the robot is called Bolt and it talks in beeps"
        said = re.match(r"\s*,?\s*and\s+(?:it|he|she)\s+((?!is\b|was\b)[a-z]+s\b[^.;!?]*)", text[person.end:], re.I)
        if said is None:
            return ""
        clause = re.match(r"(.*)", "who " + said.group(1))
        assert clause is not None
    about = re.split(r",|\s+(?:and|but)\s+(?:she|he|they|it|her|his|my|we|i)\b", clause.group(1))[0].strip()
    about = re.sub(r"^(?:who|that)\s+(?:is|'s)\s+\d+\s*(?:years?\s*old)?\s*(?:and\s+)?", "", about)
    if about.lower() in {"who", "that", "which", ""}:
        return ""
    return " ".join(about.split()[:12])


def _mention(text: str, tokens: list[_Token], i: int, width: int, kind: str, category: str,
             used: set[int]) -> Person | None:
    last = i + width - 1
    word = " ".join(t.low for t in tokens[i:i + width])
    possessive_kind = word.endswith("'s") or word.endswith("’s")
    # Adjectives and the determiner before the kind word: "his big sister", "a shy little dragon".
    adjectives: list[str]
    j, adjectives, determiner, owner = i - 1, [], None, None
    while j >= 0:
        tok = tokens[j]
        low = tok.low.replace("’", "'")
        if low in _DETERMINERS:
            determiner = low
            break
        if low.endswith("'s") and tok.text[:1].isalpha():
            owner = tok.text[:-2]
            determiner = "owner"
            break
        if tok.text[:1].isalpha() and tok.text.islower() and (low not in _STOP or low in lexicon.KIN_MODIFIERS) \
                and _category(low) is None and len(adjectives) < 3 and not _is_verb(low):
            adjectives.insert(0, low)
            j -= 1
            continue
        break
    start = tokens[j].start if determiner and j >= 0 else tokens[j + 1].start if j + 1 < len(tokens) else tokens[i].start
    after = last + 1
    if possessive_kind:
        # "grandma's garden" names a place; "mum's birthday" still brings mum into the story.
        nxt = tokens[after].low if after < len(tokens) else ""
        if nxt in places.PLACE_NOUNS or (after + 1 < len(tokens) and tokens[after + 1].low in places.PLACE_NOUNS):
            return None
    role = {"child": "hero", "kin": lexicon.KIN[kind].role if kind in lexicon.KIN else "family", "toy": "toy",
            "creature": "companion"}[category]
    if category == "creature" and kind in lexicon.PETS and determiner in _POSSESSIVES:
        role = "pet"
    if category == "child" and not (determiner in _POSSESSIVES or determiner is None or determiner == "owner"
                                    or _is_for(text, tokens[i].start)):
        if determiner in {"a", "an", "the", "one"}:
            return None  # "a boy who..." in a story idea: a character, read as a creature below if named
    person = Person(kind=kind, role=role, adjectives=tuple(adjectives), determiner=determiner, owner=owner,
                    start=start, end=tokens[last].end)
    if category == "child":
        person.gender = lexicon.CHILD_WORDS[kind]
    elif category == "kin":
        person.gender = lexicon.KIN[kind].gender
    # A name after the kind word: "called Bolt", ", Mr Buttons", "Joe", "is called Bolt".
    k = after
    if k < len(tokens) and tokens[k].text == ",":
        k += 1
    naming = False
    if k < len(tokens) and tokens[k].low in {"is", "was", "'s", "’s", "will", "should"}:
        m = k + 1
        if m < len(tokens) and tokens[m].low == "be":
            m += 1
        if m < len(tokens) and tokens[m].low in _CALLED:
            k, naming = m + 1, True
    elif k + 2 < len(tokens) and tokens[k].low in {"'s", "’s"} and tokens[k + 1].low == "name" \
            and tokens[k + 2].low == "is":
        k, naming = k + 3, True
    elif k < len(tokens) and tokens[k].low in _CALLED:
        k, naming = k + 1, True
    elif k + 2 < len(tokens) and tokens[k].low == "who" and tokens[k + 1].low in {"is", "'s"} \
            and tokens[k + 2].low in _CALLED:
        k, naming = k + 3, True
    elif k + 3 < len(tokens) and tokens[k].low == "whose" and tokens[k + 1].low == "name" and tokens[k + 2].low == "is":
        k, naming = k + 3, True
    name: str | tuple[str, int] | None = None  # a tuple: the name and how many tokens it spans
    if naming:
        name = _name_at(tokens, k, loose=True)
    elif k < len(tokens) and not possessive_kind:
        comma = k > after
        loose = not comma and category in {"kin", "child"} and determiner != "a"
        name = _name_at(tokens, k, loose=loose)
        if name is not None and category == "creature" and not comma and determiner in {"a", "an"}:
            name = None  # "a dragon Ember" is rare; "a robot Mars" is not a name
        if name is not None and _sentence_starts_at(tokens, k):
            name = None
    if name is None and determiner == "the" and j - 1 >= 0:
        # "Bolt the robot": the name sits before "the".
        before = _name_before(tokens, j - 1)
        if before is not None:
            name, start = before[0], before[1]
            person.start = start
    if name is None and determiner in _POSSESSIVES and j - 2 >= 0 and tokens[j - 1].text == ",":
        before = _name_before(tokens, j - 2)  # "Ava, her big sister"
        if before is not None and not _is_kin_title(tokens, j - 2):
            name, person.start = before[0], before[1]
    if isinstance(name, tuple):
        name_text, width_used = name
        person.end = tokens[k + width_used - 1].end
        name = name_text
    if name is not None:
        person.name = _display_name(person, name)
    for index in range(max(0, j), min(len(tokens), k + 3)):
        if tokens[index].start >= person.start and tokens[index].end <= person.end:
            used.add(index)
    if category == "creature" and not (person.name or role == "pet"):
        if determiner is None:
            return None  # "to fish", "dinosaur toys": not someone in the story
        person.role = "mentioned"  # "loves dinosaurs", "a broken robot": maybe a character, decided later
    if kind in {"friend", "bestie"} and person.name is None and "best" not in adjectives:
        return None  # "wants a friend" is what the story is about, not who is in it
    return person


def _is_verb(word: str) -> bool:
    return any(b in lexicon.ACTION_VERBS or b in lexicon.STATE_VERBS for b in english.base_candidates(word)) \
        and word not in {"broken", "lost", "little", "shy", "sleepy", "lonely", "grumpy", "brave", "kind", "tired"}


def _is_for(text: str, position: int) -> bool:
    return bool(re.search(r"\bfor\s+(?:a|an|the|my|our)?\s*$", text[:position], re.I))


def _sentence_starts_at(tokens: list[_Token], k: int) -> bool:
    """The word at k begins a new sentence ("...my son. Comic book style"), so it is no name."""
    return k > 0 and tokens[k - 1].text in {".", "!", "?"}


def _name_before(tokens: list[_Token], index: int) -> tuple[str, int] | None:
    tok = tokens[index]
    if not _is_name(tok):
        return None
    if index >= 1 and tokens[index - 1].low.rstrip(".") in _TITLES and tokens[index - 1].text[:1].isupper():
        return f"{tokens[index - 1].text} {tok.text}", tokens[index - 1].start
    return tok.text, tok.start


def _is_kin_title(tokens: list[_Token], index: int) -> bool:
    return index >= 1 and tokens[index - 1].low in lexicon.KIN


def _display_name(person: Person, name: str) -> str:
    """How the book calls them: elders keep their title ("Grandpa Joe"), children and pets their name."""
    kin = lexicon.KIN.get(person.kind)
    first = name.split()[0].lower()
    if kin is not None and kin.titled and first not in _TITLES and first not in lexicon.KIN:
        return f"{person.title} {name}"
    if kin is not None and not kin.titled and kin.role == "family" and kin.title in {"Mum", "Mom", "Dad"}:
        return kin.title  # a parent is "Mum" in the book, whatever her name
    return name


def _plural_children(tokens: list[_Token], i: int, width: int, kind: str, used: set[int]) -> list[Person]:
    """"my kids Mia and Leo", "the twins, Ava and Zoe": each child, the first as the hero."""
    word = " ".join(t.low for t in tokens[i:i + width])
    if word not in _PLURAL_CHILDREN:
        return []
    names: list[tuple[str, int, int]]
    names, k = [], i + width
    while k < len(tokens) and len(names) < 4:
        if tokens[k].text in {",", "("} or tokens[k].low in {"and", "&"} or number(tokens[k].text) is not None \
                or tokens[k].text == ")":
            k += 1
            continue
        found = _name_at(tokens, k)
        if found is None:
            break
        names.append((found[0], tokens[k].start, tokens[k + found[1] - 1].end))
        used.update(range(k, k + found[1]))
        k += found[1]
    gender = _PLURAL_CHILDREN[word]
    age = None
    if names and (shared := re.match(r"\s*,?\s*(?:are|,)\s*(?:both\s+|now\s+)?" + _NUM + r"\b(?!\s*pages?)",
                                     _text_after(tokens, k))):
        age = number(shared.group(1))
    return [Person(age=age, kind="child" if n == 0 else "sibling", role="hero" if n == 0 else "family", name=name, gender=gender,
                   start=start, end=end)
            for n, (name, start, end) in enumerate(names)]


_HERO_PATTERNS = (
    r"\b(?i:for|about|starring|stars|featuring|star is|hero is|heroine is|main character is)\s+(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b",
    r"\b(?:his|her|their|my|the child's|the kid's) name is\s+(?P<name>[A-Za-z][a-z]+)",
    r"\bname(?:'s| is)\s+(?P<name>[A-Z][a-z]+)",
    r"\b(?:call (?:him|her|them)|named|called)\s+(?P<name>[A-Z][a-z]+)",
    r"^\s*(?:it'?s\s+)?(?:for\s+)?(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s*(?:,|\(|is\b|who\b|loves\b|likes\b|turns\b|\d|age\b|aged\b)",
    r"(?:^|[.!?]\s+)(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+(?:is|turns|turned)\s+(?:just\s+|almost\s+|nearly\s+|now\s+)?" + _NUM + r"\b(?!\s*pages?)",
    r"\b" + _NUM + r"[- ](?:years?|yrs?|yo)[- ](?:old[- ])?(?P<name>[A-Z][a-z]+)\b",
)


def _bare_names(text: str, tokens: list[_Token], used: set[int], people: list[Person]) -> list[Person]:
    """Names with no kind word: the hero ("for Mia", "Mia is 4") and friends beside a named person ("Mia and Leo")."""
    taken = {p.name.lower() for p in people if p.name} | {w.lower() for p in people if p.name for w in p.name.split()}
    spans = [(p.start, p.end) for p in people]
    found: list[Person] = []
    has_child = any(p.role == "hero" for p in people)
    for pattern in _HERO_PATTERNS:
        for match in re.finditer(pattern, text):
            name = match.group("name")
            if name.lower() in taken or not _is_name(_Token(name, 0, 0)) or _inside(match.start("name"), spans):
                continue
            if name.lower() in places._PLANETS or name.lower() in places._NOT_PLACES:
                continue
            if has_child:
                unnamed = next((p for p in people if p.role == "hero" and p.name is None), None)
                if unnamed is None:
                    continue
                unnamed.name = _cap(name)  # "my son ... his name is Leo"
                taken.add(name.lower())
                continue
            found.append(Person(kind="child", role="hero", name=_cap(name), start=match.start("name"),
                                end=match.end("name")))
            taken.add(name.lower())
            has_child = True
            break
        if found:
            break
    # Friends joined to a known person: "Mia and her friend", "Mia and Leo", "with Noah".
    known = [p.name for p in [*people, *found] if p.name]
    for match in re.finditer(r"\b(?:and|with|&)\s+(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!'s\s+(?:house|garden|home))",
                             text):
        name = match.group("name")
        if name.lower() in taken or _inside(match.start("name"), spans) or not _is_name(_Token(name, 0, 0)):
            continue
        if name.lower() in places._PLANETS or name.lower() in places._NOT_PLACES:
            continue
        before = text[max(0, match.start() - 40):match.start()]
        pronoun = re.search(r"\b(?:he|she|they|him|her)\s*$", before, re.I)
        if not known and not pronoun and not has_child:
            continue
        found.append(Person(kind="friend", role="friend", name=name, start=match.start("name"), end=match.end("name")))
        taken.add(name.lower())
    return found


def _text_after(tokens: list[_Token], k: int) -> str:
    """The words from token k on, as text (ages after a list of names: "Ella and Finn are 4")."""
    return " ".join(t.text for t in tokens[k:k + 6])


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


_AGE_AFTER = re.compile(
    r"^\s*(?:,\s*|\(\s*|-\s*)?(?:who\s+(?:is|'s|will be|just turned|turned|turns)\s+|is\s+|'s\s+|turned\s+|turns\s+|"
    r"aged?\s*:?\s*|now\s+)?(?:just\s+|almost\s+|nearly\s+|now\s+)?" + _NUM +
    r"(?:\s*(?:-|\s)?(?:years?|yrs?|yo|y/o|year-old)(?:\s*-?\s*old)?)?(?!\s*(?:pages?|beats?|\d|[.,]\d|am|pm|in\b))"
    r"(?:\s*\))?(?:\s*,(?=\s))?",
    re.I)
_AGE_BEFORE = re.compile(r"\b" + _NUM + r"\s*(?:-|\s)?(?:years?|yrs?|yo|y/o)(?:\s*-?\s*old)?\s*(?:-\s*)?$", re.I)


def _read_ages(text: str, people: list[Person]) -> None:
    for person in people:
        after = _AGE_AFTER.match(text[person.end:])
        if after is not None and person.role in {"hero", "family", "friend", "pet"}:
            value = number(after.group(1))
            if value is not None:
                person.age = value
                person.end += after.end()
                continue
        # "my 7 year old son": the age before the kind word, after the determiner
        head = text[:person.start + (len(person.determiner) + 1 if person.determiner and person.determiner != "owner" else 0)]
        span = text[person.start:person.end]
        inner = re.match(r"(?:my|our|his|her|their|a|an|the)\s+" + _NUM + r"\s*(?:-|\s)?(?:years?|yrs?|yo|y/o)(?:\s*-?\s*old)?",
                         span, re.I)
        if inner is not None:
            person.age = number(inner.group(1))
        elif (before := _AGE_BEFORE.search(head)) is not None and person.role == "hero":
            person.age = number(before.group(1))


def _arrange(text: str, people: list[Person]) -> Cast:
    heroes = [p for p in people if p.role == "hero"]
    hero = heroes[0] if heroes else None
    others = [p for p in people if p is not hero]
    for other in others:
        if other.role == "hero":
            other.role = "family"  # a second child: a brother, sister or cousin of the hero
            other.kind = other.kind if other.kind != "child" else "sibling"
    if hero is not None and hero.gender is None:
        hero.gender = _gender_from_pronouns(text)
    ages = [p.age for p in [hero, *[o for o in others if o.kind in ("sibling", "child")]]
            if p is not None and p.age is not None and MIN_AGE <= p.age <= MAX_AGE]
    # Merge repeated mentions of the same person ("a robot ... the robot is called Bolt").
    merged: list[Person] = []
    for person in others:
        same = next((m for m in merged if _same(m, person)), None)
        if same is None:
            merged.append(person)
            continue
        same.name = same.name or person.name
        same.about = same.about or person.about
        same.age = same.age or person.age
        same.adjectives = same.adjectives or person.adjectives
        if same.role == "mentioned" and person.role != "mentioned":
            same.role = person.role
    return Cast(hero=hero, others=merged, child_ages=ages)


def _same(a: Person, b: Person) -> bool:
    if a.name and b.name:
        return a.name.lower() == b.name.lower()
    if a.kind != b.kind:
        return False
    return a.name is None or b.name is None


def _gender_from_pronouns(text: str) -> str | None:
    he = len(re.findall(r"\b(?:he|him|his|he's)\b", text, re.I))
    she = len(re.findall(r"\b(?:she|hers|she's)\b", text, re.I))
    if he > she:
        return "male"
    if she > he:
        return "female"
    return None

