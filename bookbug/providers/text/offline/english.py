"""English word forms the offline writer needs: verb tenses, articles, possessives.

The premise a parent types is in the present ("he and his grandma fix a broken robot"); the
book is told in the past ("Sam fixed the robot"), so verbs are turned between their forms.
A table of common irregular verbs plus the spelling rules for regular ones covers the verbs
people use in story ideas; a verb not in the tables follows the regular rules.
"""

from __future__ import annotations

import re

# base: (past, past participle)
IRREGULAR: dict[str, tuple[str, str]] = {
    "be": ("was", "been"), "become": ("became", "become"), "begin": ("began", "begun"), "bite": ("bit", "bitten"),
    "blow": ("blew", "blown"), "break": ("broke", "broken"), "bring": ("brought", "brought"),
    "build": ("built", "built"), "buy": ("bought", "bought"), "catch": ("caught", "caught"),
    "choose": ("chose", "chosen"), "come": ("came", "come"), "dig": ("dug", "dug"), "do": ("did", "done"),
    "draw": ("drew", "drawn"), "dream": ("dreamed", "dreamed"), "drink": ("drank", "drunk"),
    "drive": ("drove", "driven"), "eat": ("ate", "eaten"), "fall": ("fell", "fallen"), "feed": ("fed", "fed"),
    "feel": ("felt", "felt"), "find": ("found", "found"), "fly": ("flew", "flown"), "forget": ("forgot", "forgotten"),
    "get": ("got", "got"), "give": ("gave", "given"), "go": ("went", "gone"), "grow": ("grew", "grown"),
    "hang": ("hung", "hung"), "have": ("had", "had"), "hear": ("heard", "heard"), "hide": ("hid", "hidden"),
    "hold": ("held", "held"), "keep": ("kept", "kept"), "know": ("knew", "known"), "lead": ("led", "led"),
    "leave": ("left", "left"), "lend": ("lent", "lent"), "let": ("let", "let"), "light": ("lit", "lit"),
    "lose": ("lost", "lost"), "make": ("made", "made"), "meet": ("met", "met"), "pay": ("paid", "paid"),
    "put": ("put", "put"), "read": ("read", "read"), "ride": ("rode", "ridden"), "ring": ("rang", "rung"),
    "rise": ("rose", "risen"), "run": ("ran", "run"), "say": ("said", "said"), "see": ("saw", "seen"),
    "seek": ("sought", "sought"), "sell": ("sold", "sold"), "send": ("sent", "sent"), "set": ("set", "set"),
    "sew": ("sewed", "sewn"), "shake": ("shook", "shaken"), "shine": ("shone", "shone"), "show": ("showed", "shown"),
    "sing": ("sang", "sung"), "sink": ("sank", "sunk"), "sit": ("sat", "sat"), "sleep": ("slept", "slept"),
    "slide": ("slid", "slid"), "speak": ("spoke", "spoken"), "spend": ("spent", "spent"), "spin": ("spun", "spun"),
    "stand": ("stood", "stood"), "steal": ("stole", "stolen"), "stick": ("stuck", "stuck"), "sweep": ("swept", "swept"),
    "swim": ("swam", "swum"), "swing": ("swung", "swung"), "take": ("took", "taken"), "teach": ("taught", "taught"),
    "tell": ("told", "told"), "think": ("thought", "thought"), "throw": ("threw", "thrown"),
    "understand": ("understood", "understood"), "wake": ("woke", "woken"), "wear": ("wore", "worn"),
    "win": ("won", "won"), "write": ("wrote", "written"), "undo": ("undid", "undone"), "rebuild": ("rebuilt", "rebuilt"),
}
_PAST_TO_BASE = {past: base for base, (past, _) in IRREGULAR.items()} | {pp: base for base, (_, pp) in IRREGULAR.items()}

# Verbs whose final consonant doubles although the usual rule would not say so, and the reverse.
_DOUBLE = {"travel": "travell", "refer": "referr", "prefer": "preferr", "admit": "admitt", "forget": "forgett",
           "begin": "beginn", "control": "controll", "patrol": "patroll", "equip": "equipp"}
_VOWELS = "aeiou"


def _stem(base: str) -> str:
    """The base as spelled before -ed/-ing: stop -> stopp, bake -> bak, try -> tri (for -ed)."""
    if base in _DOUBLE:
        return _DOUBLE[base]
    if (len(base) >= 3 and base[-1] not in _VOWELS + "wxy" and base[-2] in _VOWELS and base[-3] not in _VOWELS
            and _syllables(base) == 1):
        return base + base[-1]
    return base


def _syllables(word: str) -> int:
    return max(1, len(re.findall(r"[aeiouy]+", word.rstrip("e"))))


def past(base: str) -> str:
    """fix -> fixed, teach -> taught, try -> tried, bake -> baked, stop -> stopped."""
    if base in IRREGULAR:
        return IRREGULAR[base][0]
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
        return base[:-1] + "ied"
    return _stem(base) + "ed"


def participle(base: str) -> str:
    """The past participle: fix -> fixed, build -> built, find -> found."""
    if base in IRREGULAR:
        return IRREGULAR[base][1]
    return past(base)


def gerund(base: str) -> str:
    """fix -> fixing, bake -> baking, swim -> swimming, tie -> tying, see -> seeing."""
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")) and base != "be":
        return base[:-1] + "ing"
    return _stem(base) + "ing"


def base_candidates(word: str) -> list[str]:
    """Bases `word` may be a form of, most likely first: fixes -> fix, baking -> bake/bak, tried -> try."""
    word = word.lower()
    found = [word]
    if word in _PAST_TO_BASE:
        found.append(_PAST_TO_BASE[word])
    if word == "has":
        found.append("have")
    if word == "is":
        found.append("be")
    for suffix, replacements in (("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")), ("s", ("",)),
                                 ("ying", ("ie", "y")), ("ing", ("", "e")), ("ed", ("", "e"))):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)]
            found += [stem + r for r in replacements]
            if len(stem) >= 2 and stem[-1] == stem[-2] and suffix in ("ing", "ed"):
                found.append(stem[:-1])  # stopped -> stop, swimming -> swim
    return list(dict.fromkeys(found))


_AN_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ufo", "uk")
_AN_SILENT_H = ("hour", "honest", "honour", "honor", "heir")


def article(phrase: str) -> str:
    """"a" or "an" for `phrase`: an owl, a unicorn, an hour, a robot."""
    word = phrase.strip().lower()
    if word.startswith(_AN_SILENT_H):
        return "an"
    if word.startswith(_AN_EXCEPTIONS):
        return "a"
    return "an" if word[:1] in _VOWELS else "a"


def with_article(phrase: str) -> str:
    return f"{article(phrase)} {phrase}"


def possessive(name: str) -> str:
    """Sam -> Sam's, Gus -> Gus'."""
    return name + ("'" if name.endswith("s") else "'s")


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def definite(phrase: str) -> str:
    """"a broken robot" -> "the broken robot"; "his kite" and "Mars" stay as they are."""
    words = phrase.split()
    if words and words[0].lower() in {"a", "an", "some"}:
        return " ".join(["the", *words[1:]])
    return phrase


def join_names(names: list[str]) -> str:
    """["Sam"] -> "Sam"; ["Sam", "Grandma"] -> "Sam and Grandma"; three -> "Sam, Ava and Grandma"."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
