"""The story kit: what the offline writer needs from a brief to plot and write a book.

It names the hero and the cast (the people the premise names come first), the place with
its preposition, and takes the premise apart into its action (`premise.Action`): the verb,
the object, what goes wrong on the way and how it ends, so every beat and page is phrased
from the premise's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbug.providers.text.offline import briefing, english, premise
from bookbug.providers.text.offline.places import Place, place_of
from bookbug.providers.text.offline.premise import Action
from bookbug.story.brief import Brief

# What goes wrong first, by the premise's verb (the default fits any verb).
OBSTACLES = {
    "fix": "one tiny piece was missing", "mend": "one tiny piece was missing", "repair": "one tiny piece was missing",
    "build": "it kept wobbling and tumbling down", "rebuild": "it kept wobbling and tumbling down",
    "bake": "the mixture went lumpy and flat", "cook": "the pot bubbled over", "make": "it would not come out right",
    "find": "it was nowhere to be seen", "search": "it was nowhere to be seen", "clean": "the mess kept growing",
    "tidy": "the mess kept growing", "plant": "the ground was hard and dry", "grow": "nothing came up at first",
    "paint": "the colours ran together", "draw": "the lines went wiggly", "catch": "it kept slipping away",
    "save": "it was too far away to reach", "rescue": "it was too far away to reach", "deliver": "the way was long and twisty",
    "decorate": "everything kept sliding off", "fish": "the line got tangled in a knot",
    "ride": "the bike wobbled and tipped", "swim": "the water splashed up in a big wave", "fly": "the wind was too strong",
    "climb": "the first step was very high", "read": "the letters jumbled up", "dance": "the steps got all mixed up",
    "sing": "the notes came out squeaky", "tie": "the laces kept slipping loose", "skate": "the ice was very slippery",
    "count": "the numbers kept hopping around", "sleep": "sleep would not come", "fall": "sleep would not come",
    "face": "it still seemed very big", "wrap": "the paper kept tearing", "launch": "it fizzled and flopped",
    "write": "the words would not line up", "feed": "it would not come close", "wash": "the bubbles went everywhere",
}
# A small thing that sparks the hero's idea, by verb.
SPARKS = {
    "fix": "a shiny spare bolt", "mend": "a roll of sticky tape", "repair": "a shiny spare bolt",
    "build": "a pile of flat stones", "bake": "a jar of honey", "find": "a trail of tiny footprints",
    "fish": "a ripple on the water", "ride": "a gentle, grassy slope", "plant": "a watering can",
    "fly": "a feather drifting down", "catch": "a bright red net", "face": "a little glowing light",
    "sleep": "a soft, slow lullaby", "fall": "a soft, slow lullaby", "swim": "a bright orange float",
    "clean": "a big bouncy broom", "paint": "a fat, fluffy brush", "climb": "a knotted rope",
}
# How the hero's own way ends, when the verb has a nicer ending than "it was done".
ENDINGS = {
    "fish": "caught a wriggly silver fish", "ride": "rode all the way to the end of the path",
    "swim": "swam all the way across", "fly": "soared up into the sky", "read": "read the whole page out loud",
    "dance": "danced the whole dance without a wobble", "sing": "sang the song from start to finish",
    "fall": "fell fast asleep", "sleep": "slept all night long", "climb": "climbed all the way to the top",
    "tie": "tied a perfect bow", "skate": "glided across the ice", "count": "counted all the way to ten",
}


@dataclass(frozen=True)
class StoryKit:
    hero: str
    pronoun: str  # "he", "she" or the hero's name when the brief does not say
    possessive: str  # "his", "her" or "Sam's"
    cast: tuple[str, ...]  # everyone but the hero, the people the premise names first
    kinds: tuple[str, ...]  # what each of `cast` is: "grandma", "robot"
    friend: str | None  # the first of the cast
    kind: str  # what the friend is: "robot", "grandma", "friend"
    trait: str
    place: Place
    action: Action
    premise: str
    who: str  # whoever has the trouble: the hero, or the creature whose trouble the premise tells
    interest: str
    tone: str

    @property
    def team(self) -> str:
        """The hero and whoever the premise puts beside them: "Sam and Grandma"."""
        named = [name for name in self.cast if re.search(r"\b" + re.escape(name) + r"\b", self.premise)]
        return english.join_names([self.hero, named[0]]) if named else self.hero

    @property
    def helper(self) -> str:
        return self.friend or self.hero

    @property
    def teacher(self) -> str:
        return self.action.teacher if self.action.teacher in self.cast else self.helper

    @property
    def obstacle(self) -> str:
        return OBSTACLES.get(self.action.verb, "it was much trickier than it looked")

    @property
    def spark(self) -> str:
        return SPARKS.get(self.action.verb, "something small and shiny nearby")

    @property
    def thing(self) -> str:
        """The premise's object as the pages name it: a cast member's name when it is one ("Bolt")."""
        noun = self.action.noun
        for name, kind in zip(self.cast, self.kinds):
            if noun and kind == noun:
                return name
        return self.action.the_thing or "the problem"

    @property
    def short_thing(self) -> str:
        """"the robot" rather than "the broken robot" once it has been met."""
        if self.thing != self.action.the_thing:
            return self.thing
        noun = self.action.noun
        words = self.action.the_thing.split()
        if noun and words and words[0].lower() in {"the", "his", "her", "their"}:
            return f"{words[0]} {noun}"
        return self.thing

    def did(self) -> str:
        """What the hero does in the end, in the past: "fixed Bolt", "caught a wriggly silver fish"."""
        action = self.action
        if action.frame in {"learn", "want"}:
            return ENDINGS.get(action.verb, action.did())
        if action.frame == "fear":
            if re.search(r"dark|night", action.thing):
                return "made a glowing lantern from a jar of fireflies"
            if re.search(r"water|sea|swim|bath|pool", action.thing):
                return f"showed {self.who if self.who != self.hero else 'everyone'} how to float like a happy starfish"
            return f"turned {action.thing} into a funny game, one tiny step at a time"
        if action.frame == "task":
            return f"{english.past(action.verb)} {self.thing}".strip()
        return action.did()

    def goal(self) -> str:
        """What the premise is after, as "to ..." : "to fix Bolt", "to fish", "to fall asleep"."""
        action = self.action
        if action.frame == "task":
            return f"to {action.verb} {self.thing}".strip()
        if action.frame in {"learn", "want"}:
            return f"to {action.do()}"
        if action.frame == "find":
            return f"to find {action.the_thing}"
        if action.frame == "fear":
            return f"to feel brave about {action.thing}"
        if action.frame == "friend":
            return "to make a new friend"
        if action.frame == "journey":
            return f"to {action.verb} {action.rest}".strip() if action.verb != "have" else f"to have {action.thing}"
        return "to make everything right"


def kit_for(brief: Brief) -> StoryKit:
    hero = briefing.hero_of(brief) or brief.hero
    hero_name = hero.name if hero else "Sam"
    arc = brief.story_arc or ""
    others = [c for c in brief.characters if hero is None or c.name != hero.name]
    others.sort(key=lambda c: (re.search(r"\b" + re.escape(c.name) + r"\b", arc) is None, brief.characters.index(c)))
    kinds = tuple(briefing.kind_of(c) or "friend" for c in others)
    friend = others[0] if others else None
    description = hero.description.lower() if hero else ""
    pronoun, possessive = hero_name, english.possessive(hero_name)
    if re.search(r"\bboy\b", description):
        pronoun, possessive = "he", "his"
    elif re.search(r"\bgirl\b", description):
        pronoun, possessive = "she", "her"
    action = premise.action_of(arc)
    who = hero_name
    if friend is not None and action.frame in {"fear", "find", "want", "friend"} and friend.name.lower() in arc.lower():
        who = friend.name
    elif friend is not None and action.frame in {"fear", "want", "friend", "find"} and kinds[0] in arc.lower() \
            and not re.search(r"\b" + re.escape(hero_name) + r"\b", arc):
        who = friend.name
    interest = _words(brief.interests[0], 3).lower() if brief.interests else "adventures"
    return StoryKit(
        hero=hero_name, pronoun=pronoun, possessive=possessive, cast=tuple(c.name for c in others), kinds=kinds,
        friend=friend.name if friend else None, kind=kinds[0] if kinds else "friend",
        trait=friend.traits[0] if friend and friend.traits else "gentle", place=place_of(brief.setting),
        action=action, premise=arc, who=who, interest=interest, tone=(brief.tone or "warm").lower(),
    )


def _words(text: str, most: int) -> str:
    """`text` as at most `most` plain words, safe inside a sentence."""
    return " ".join(re.sub(r"[^\w' -]", " ", text).split()[:most]) or "adventures"
