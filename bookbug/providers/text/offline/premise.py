"""The premise: what happens in the story, read from a message and taken apart for the plot.

`read` finds the premise in what a parent wrote ("a space adventure where he and his grandma
fix a broken robot on Mars") and tells it with the cast's names ("Sam and Grandma fix a
broken robot on Mars"). `Action` takes a premise apart into its verb and its object, in the
forms the plot and the pages need: "fix the robot", "fixed the robot", "fixing the robot",
"the robot was fixed", so every beat is told with the premise's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbug.providers.text.offline import english, lexicon
from bookbug.providers.text.offline.cast import Cast, Person

_CUES = re.compile(
    r"\b(?:story|book|adventure|tale|one|plot|idea)\s+(?:about|where|in which|when|that has|with|of)\s+|"
    r"\b(?:it'?s about|is about|about how|about when|about the day|about a time|where|in which)\s+|\babout\s+",
    re.I)
# Words that end the premise inside a sentence: the style, the length, a new thought.
_END = re.compile(
    r"\s*(?:,|\band\b|-)?\s*\b(?:please|pls|(?:in\s+)?(?:a\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+style|\d+\s*pages?|"
    r"(?:she|he|they)(?:'s|\s+is|\s+loves|\s+likes|\s+adores)\b|(?:my|our)\s+(?:son|daughter)\s+(?:is|loves)|"
    r"for ages?\s+\d|,\s*for\b|for (?:my|our)\b|the (?:moral|lesson|message)|make it\b|i'?d like|i want|we want|"
    r"(?:with|in)\s+(?:watercolou?r|crayon|gouache|pictures|illustrations))", re.I)
_PRONOUN_SUBJECT = re.compile(r"\b(he|she|they)\b", re.I)
_AGES = re.compile(r"\s*(?:,\s*)?\(?\s*(?:aged?\s*)?\d{1,2}\s*(?:years?\s*old|yrs?|yo)?\s*\)?\s*,?(?=\s)", re.I)


def read(text: str, cast: Cast, hero_name: str | None) -> str | None:
    """The premise told with names, e.g. "Grandpa Joe teaches Sam to fish at the lake"; None when there is none."""
    for sentence in _sentences(text):
        body, offset = sentence
        cue = _CUES.search(body)
        if cue is not None:
            start = offset + cue.end()
            phrase = _clause(text, start, cast, hero_name)
            if phrase and _has_story(phrase):
                return phrase
    found: list[tuple[int, int, str]] = []  # (score, position, phrase): the best clause, earliest first
    for sentence in _sentences(text):
        body, offset = sentence
        for verb in _action_verbs(body):
            left = max(body.rfind(",", 0, verb.start()), body.rfind(":", 0, verb.start()))
            right = body.find(",", verb.end())
            if _ABOUT_PICTURES.search(body[left + 1:right if right != -1 else len(body)]):
                continue  # "can the pictures look like a Pixar movie?" is about the art, not the story
            start = offset + _subject_start(body, verb, cast, offset)
            phrase = _clause(text, start, cast, hero_name)
            if phrase and len(phrase.split()) >= 3:
                habit = re.search(r"\b(?:everywhere|always|every day|all the time)\b", phrase)
                found.append((0 if habit else 1, -start, phrase))
                break
        for event in re.finditer(r"\b(?:have|has|having|go on|goes on|going on)\s+(?:a|an|their|his|her)\s+(?:\w+\s+)?"
                                 r"(?:picnic|party|sleepover|adventure|race|holiday|trip|day out|tea party|parade|"
                                 r"treasure hunt|campout|birthday)\b", body, re.I):
            start = offset + _subject_start(body, event, cast, offset)
            phrase = _clause(text, start, cast, hero_name)
            if phrase:
                found.append((2, -start, phrase))
    if found:
        return max(found)[2]
    if cast.hero is not None and cast.hero.about and not re.match(r"who\s+(?:is|'s)\s+\d", cast.hero.about):
        about = re.sub(r"^(?:who|that)\s+", "", cast.hero.about)
        return f"{hero_name or 'the child'} {about}"
    creature = next((p for p in cast.others if p.about and p.kind in lexicon.CREATURES), None)
    if creature is not None and not re.match(r"who (?:talks|speaks|says|is called)\b", creature.about):
        described = " ".join([*creature.adjectives, creature.kind])
        return f"{english.with_article(described)} {creature.about}"
    return None


def _sentences(text: str) -> list[tuple[str, int]]:
    found, start = [], 0
    for match in re.finditer(r"[.!?\n]+(?:\s+|$)", text):
        found.append((text[start:match.start()], start))
        start = match.end()
    if start < len(text):
        found.append((text[start:], start))
    return found


def _has_story(phrase: str) -> bool:
    words = phrase.split()
    return len(words) >= 2 and any(
        _verb_base(w) is not None or w.lower() in {"afraid", "scared", "lost", "first", "new", "lonely"} for w in words)


def _verb_base(word: str) -> str | None:
    for base in english.base_candidates(word.strip(".,!?;:").lower()):
        if base in lexicon.ACTION_VERBS:
            return base
    return None


_ABOUT_PICTURES = re.compile(r"\b(?:pictures?|illustrations?|style|drawings?|look(?:s)? like|art work|artwork)\b", re.I)
_NOT_STORY = re.compile(r"^\s*(?:(?:a|the|my|this|our)\s+)?(?:book|story|stories|tale|it|one|pages?|\d+)\b", re.I)
_WISH = re.compile(r"\b(?:wants?|wanted|wishes|dreams?|hopes?|would love|longs?) (?:to|of)\b", re.I)


def _action_verbs(sentence: str) -> list[re.Match[str]]:
    """The verbs that may carry what happens, in order ("fix", "teaches", "wants to")."""
    found = []
    for match in re.finditer(r"[A-Za-z]+", sentence):
        word = match.group(0)
        if word[:1].isupper() and match.start() > 0:
            continue  # names are not verbs
        if _verb_base(word) is None or word.lower() in {"show", "shows", "play", "plays", "name", "star", "look"}:
            continue
        before = sentence[:match.start()].rstrip().lower()
        if re.search(r"\b(?:a|an|the|my|his|her|their|our|your)$", before):
            continue  # "a fish", "the train": nouns
        if _NOT_STORY.match(sentence[match.end():]) or re.search(r"\b(?:please|can you|could you|pls)$", before):
            continue  # "make a book for Zara", "make it 32 pages": asking for the book, not telling the story
        if word.lower() in {"take", "takes"} and re.match(r"\s+place\b", sentence[match.end():]):
            continue
        found.append(match)
    for match in _WISH.finditer(sentence):
        found.append(match)
    return sorted(found, key=lambda m: m.start())


def _subject_start(sentence: str, verb: re.Match[str], cast: Cast, offset: int) -> int:
    """Where the doer of the verb starts: the nearest person or pronoun before it in the sentence."""
    before = sentence[:verb.start()]
    pronoun = None
    for match in _PRONOUN_SUBJECT.finditer(before):
        pronoun = match
    people = [p for p in cast.everyone() if offset <= p.start and p.end <= offset + verb.start()]
    nearest = max(people, key=lambda p: p.start) if people else None
    # "Grandpa Joe, who is 70 and teaches ...": the person the relative clause hangs on
    if nearest is not None and re.search(r"\bwho\b", sentence[nearest.end - offset:verb.start()]):
        return nearest.start - offset
    candidates = [m for m in [pronoun.start() if pronoun else None, nearest.start - offset if nearest else None]
                  if m is not None]
    if not candidates:
        return verb.start()
    start = max(candidates)
    # "he and his grandma fix", "Mia (5) and Leo (3) build": take the whole "X and Y" subject
    while True:
        before_people = [p for p in cast.everyone() if offset <= p.start and p.end - offset <= start
                         and re.fullmatch(r"\s*,?\s*(?:and|&|with)?\s*", sentence[p.end - offset:start])]
        if before_people:
            start = max(before_people, key=lambda p: p.start).start - offset
            continue
        joined = re.search(r"(\b(?:he|she|they|[A-Z][a-z]+)\s+and\s+)$", sentence[:start])
        if joined and joined.start(1) < start:
            start = joined.start(1)
            continue
        return start


def _clause(text: str, start: int, cast: Cast, hero_name: str | None) -> str | None:
    sentence_end = re.search(r"[.!?\n;]", text[start:])
    end = start + sentence_end.start() if sentence_end else len(text)
    cut = _END.search(text, start, end)
    if cut is not None and cut.start() > start:
        end = cut.start()
    # Tell it with names: replace every person mentioned inside by how the book calls them.
    pieces, position = [], start
    for person in sorted(cast.everyone(), key=lambda p: p.start):
        if person.start < start or person.end > end or person.start < position:
            continue
        pieces.append(text[position:person.start])
        pieces.append(_called(person, cast, hero_name))
        position = person.end
    pieces.append(text[position:end])
    phrase = "".join(pieces)
    if hero_name:
        phrase = re.sub(r"^(he|she)\b", hero_name, phrase.strip(), flags=re.I)
        others = [p for p in cast.others if p.role != "mentioned" and (p.name or p.role in {"family", "friend"})]
        if others:
            team = english.join_names([hero_name, *(_called(p, cast, hero_name) for p in others[:2])])
            phrase = re.sub(r"^they\b", team, phrase, flags=re.I)
        phrase = re.sub(r"^((?:[A-Z][a-z']+\s?){1,3})\s+and\s+(?:he|she)\s+(?=[a-z])", r"\1 ", phrase)
        phrase = re.sub(r"\b(and|but|so|then)\s+(?:he|she)\b", rf"\1 {hero_name}", phrase)
        phrase = re.sub(r"\b(he|she)\s+and\b", f"{hero_name} and", phrase, flags=re.I)
        phrase = re.sub(r"\band\s+(?:him|her)self\b", "", phrase)
    phrase = _AGES.sub("", " " + phrase).strip()
    phrase = re.sub(r"(\w),\s+([a-z]+)\b", lambda m: f"{m.group(1)} {m.group(2)}" if _verb_base(m.group(2)) else m.group(0),
                    phrase)
    # "Grandpa Joe, who is 70 and teaches" -> "Grandpa Joe teaches"; "Leo and is starting" -> "Leo is starting"
    joined = re.match(r"^(.+?)\s*,?\s+and\s+([a-z]+)\b", phrase)
    if joined and (_verb_base(joined.group(2)) or joined.group(2) in {"is", "has", "was"}) \
            and not re.search(r"\b(?:and|with)\b", joined.group(1)) and joined.group(1)[:1].isupper():
        phrase = f"{joined.group(1)} {phrase[joined.start(2):]}"
    phrase = " ".join(phrase.strip(" ,;:-").split())
    phrase = re.sub(r"^(?:a|an)\s+(?=(?:he|she|they)\b)", "", phrase)
    words = phrase.split()
    if len(words) > 20:
        phrase = " ".join(words[:20])
    if not phrase or len(phrase) < 4:
        return None
    return phrase


def _called(person: Person, cast: Cast, hero_name: str | None) -> str:
    if person is cast.hero:
        return hero_name or person.name or "the child"
    if person.name and person.role in {"companion", "mentioned"} and person.determiner in {"a", "an"}:
        return f"{person.name}, {english.with_article(' '.join([*person.adjectives, person.kind]))}"
    if person.name:
        return person.name
    if person.role in {"family", "friend"}:
        return person.title
    determiner = person.determiner if person.determiner in {"a", "an", "the", "his", "her", "their"} else "the"
    return " ".join(filter(None, [determiner, *person.adjectives, person.kind]))


# ------------------------------------------------------------------------- taking a premise apart

Frame = str  # "task", "learn", "fear", "find", "friend", "journey", "general"


@dataclass(frozen=True)
class Action:
    """The premise as the plot uses it.

    Frames: "task" (do something to a thing: fix the robot), "learn" (gain a skill: learn to
    fish), "want" (reach a goal: fall asleep, fly), "fear" (face a fear: the dark), "find" (find
    what was lost), "friend" (make a friend), "journey" (go somewhere or through a big day),
    "general" (no verb the writer knows: the story is told from its nouns).
    """

    frame: Frame
    verb: str  # base form: "fix"; for learn and want, the goal's verb: "fish", "ride"
    thing: str  # the object as first told: "a broken robot"; for learn and want, the goal's rest: "a bike"
    rest: str  # what follows: "on Mars", "for Mum's birthday"
    teacher: str = ""  # who teaches or helps, when the premise says: "Grandpa Joe"

    @property
    def the_thing(self) -> str:
        return english.definite(self.thing)

    @property
    def noun(self) -> str:
        """The object's last word: "robot"."""
        words = re.findall(r"[A-Za-z'-]+", self.thing)
        return words[-1].lower() if words else ""

    def do(self) -> str:
        """"fix the broken robot", "ride a bike"."""
        return " ".join(filter(None, [self.verb, self.the_thing if self.frame == "task" else self.thing]))

    def did(self) -> str:
        return " ".join(filter(None, [english.past(self.verb) if self.verb else "",
                                      self.the_thing if self.frame == "task" else self.thing]))


_SKIP_WORDS = {"and", "also", "then", "together", "all", "both", "will", "would", "can", "could", "to", "try",
               "tries", "trying", "have", "has", "get", "gets", "help", "helps", "helping", "helped"}
_MOVES = {"go", "travel", "fly", "sail", "visit", "explore", "camp", "hike", "race", "ride", "swim", "climb", "dance",
          "sing", "play", "run", "jump", "skate", "ski", "surf", "dive", "start", "return", "attend", "join", "enter"}


def action_of(premise: str) -> Action:
    """Take a premise apart: "Sam and Grandma fix a broken robot on Mars" -> fix / a broken robot / on Mars."""
    text = " ".join(premise.split())
    lowered = text.lower()
    if match := re.search(r"\b(?:have|has|having|go on|goes on|going on)\s+(?P<thing>(?:a|an|their|his|her)\s+(?:\w+\s+)?"
                          r"(?:picnic|party|sleepover|adventure|race|holiday|trip|day out|tea party|parade|"
                          r"treasure hunt|campout|birthday))\b(?P<rest>[^,.;!?]*)", lowered):
        thing = re.sub(r"^(?:their|his|her) ", "a ", match.group("thing"))
        return Action("journey", "have", thing, " ".join(match.group("rest").split()[:8]))
    wish = re.search(r"\b(?:wants?|wanted|wishes|dreams?|hopes?|learn|learns|learning)\b", lowered)
    fear = re.search(r"\b(?:afraid|scared|frightened|fearful|nervous|worried|terrified)\b", lowered)
    if fear and wish and wish.start() < fear.start():
        lowered = lowered[:fear.start()]  # "wants to learn to swim but is scared of the deep end": a wish first
        text = text[:fear.start()]
    if match := re.search(r"\b(?:afraid|scared|frightened|fearful|nervous|worried|terrified|frighten\w*) (?:of|about|by) "
                          r"([^,.;!?]+)", lowered):
        return Action("fear", "face", _trim(match.group(1)), "")
    if match := re.search(r"\b(?:lost|loses|lose|losing|missing|can'?t find|cannot find) (?:(?:his|her|their|a|an|the|my) )?"
                          r"((?:favou?rite |special |beloved |little |old )*[a-z' -]+)", lowered):
        thing, rest = _split_rest(match.group(1))
        thing = re.sub(r"^(?:(?:favou?rite|special|beloved) )+", "", thing)
        return Action("find", "find", "the lost " + thing, rest)
    if re.search(r"\b(?:lonely|make (?:a )?(?:new )?friends?|find (?:a )?(?:new )?friend|wants? (?:a )?friend|"
                 r"makes? (?:a )?(?:new )?friends?|no friends|shy)\b", lowered):
        return Action("friend", "make", "a new friend", "")
    if match := re.search(r"^(?:(?P<who>.+?)\s+)?(?:teach(?:es|ing)?|show(?:s|ing)?)\s+(?:[A-Za-z' ]+?\s+)?(?:to|how to)\s+"
                          r"(?P<goal>[a-z][a-z' -]+)", text, re.I):
        return _goal("learn", match.group("goal"), _teacher(match.group("who")))
    if match := re.search(r"\b(?:learn(?:s|ing)?|practi[cs](?:es?|ing)|dreams? of learning)\s+(?:how\s+)?(?:to\s+)?"
                          r"([a-z][a-z' -]+)", lowered):
        return _goal("learn", match.group(1))
    if match := re.search(r"\b(?:wants?|wanted|wishes|wishing|dreams?|dreaming|hopes?|longs?) (?:to |of )([a-z][a-z' -]+)",
                          lowered):
        return _goal("want", match.group(1))
    if match := re.search(r"\b(?:can'?t|cannot|couldn'?t|won'?t|is unable to|too \w+ to) ([a-z][a-z' -]+)", lowered):
        return _goal("want", match.group(1))
    if re.search(r"\bfirst (?:day|time|visit|trip|night|sleepover|lesson|flight)\b", lowered):
        match = re.search(r"\b((?:(?:his|her|their|a|the) )?first (?:day|time|visit|trip|night|sleepover|lesson|flight)"
                          r"[^,.;!?]*)", lowered)
        thing = _trim(match.group(1), 8) if match else "a big first day"
        return Action("journey", "have", re.sub(r"^(?:his|her|their|the) ", "a ", thing), "")
    words = re.findall(r"[A-Za-z'-]+", text)
    first: Action | None = None
    for index, word in enumerate(words):
        if word[:1].isupper() and index > 0:
            continue
        base = _verb_base(word)
        if base is None or word.lower() in _SKIP_WORDS:
            continue
        action = _action_at(base, words, index)
        if action.frame == "task" and action.thing:
            return action
        first = first or action  # "lands in her garden" has no object: a later verb may ("fix his spaceship")
    return first or Action("general", "", "", "")


def _action_at(base: str, words: list[str], index: int) -> Action:
    after = " ".join(words[index + 1:])
    thing, rest = _split_rest(after)
    if base in _MOVES and not re.match(r"(?:a|an|the|his|her|their)\b", thing):
        rest = " ".join(filter(None, [thing, rest]))
        return Action("journey", base, "", rest)
    if re.match(r"(?:it|them|him|her)$", thing):
        thing = ""
    purpose = next((m for m in re.finditer(r"\bto ([a-z]+) ((?:the |a |an |some |his |her |their )?[a-z]+(?: [a-z]+)?)",
                                            rest) if _verb_base(m.group(1))), None)
    if base in _MOVES | {"drive", "take", "bring", "carry"} and purpose:
        # "drives a train to the north pole to deliver presents": the trip is how, the errand is what
        errand, _ = _split_rest(purpose.group(2))
        where = rest[:purpose.start()].strip()
        return Action("task", _verb_base(purpose.group(1)) or purpose.group(1), errand, where)
    return Action("task", base, thing, rest)


def _goal(frame: Frame, phrase: str, teacher: str = "") -> Action:
    """A skill or a wish: "ride a bike without stabilisers" -> ride / a bike / without stabilisers."""
    phrase = re.sub(r"^(?:how )?to ", "", phrase.strip())
    phrase = re.sub(r"^be able to ", "", phrase)
    words = phrase.split()
    if not words:
        return Action("general", "", "", "")
    verb = words[0]
    base = next((b for b in english.base_candidates(verb) if b in lexicon.ACTION_VERBS), None)
    if base is None and verb.endswith("ing"):
        base = english.base_candidates(verb)[-1]
    thing, rest = _split_rest(" ".join(words[1:]))
    return Action(frame, base or verb, thing, rest, teacher)


def _teacher(who: str | None) -> str:
    if not who:
        return ""
    names = re.findall(r"(?:[A-Z][a-z]+ )?[A-Z][a-z]+", who)
    return names[-1] if names else ""


_REST = re.compile(r"\s+(?:on|at|in|to|into|for|with|without|before|after|so|because|near|by|under|inside|from|while|"
                   r"and then|together|all|next|this|every)\b", re.I)


def _split_rest(phrase: str) -> tuple[str, str]:
    """"a broken robot on Mars" -> ("a broken robot", "on Mars")."""
    phrase = " " + phrase.strip()
    cut = _REST.search(phrase)
    if cut is None:
        return _trim(phrase, 6), ""
    return _trim(phrase[:cut.start()], 6), " ".join(phrase[cut.start():].split()[:8])


def _trim(phrase: str, most: int = 5) -> str:
    words = re.split(r"\b(?:and|but|so|because|until|when|who|which|that)\b", phrase)[0].split()
    return " ".join(words[:most]).strip(" ,'")
