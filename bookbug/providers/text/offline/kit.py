"""The story kit: what the offline writer needs from a brief to plot and write a book.

It names the hero and friend, a short place for page text, and turns the story arc into a
trouble (what is wrong), the hero's own solution (what the child does about it) and the
happy outcome, so every beat and page can be phrased from the same few facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbug.providers.text.offline import reading
from bookbug.story.brief import Brief


@dataclass(frozen=True)
class StoryKit:
    hero: str
    friend: str | None  # the companion's name
    kind: str  # the friend's species or "friend"
    trait: str  # the friend's first trait, e.g. "friendly"
    place: str  # short, for page text: "the enchanted forest"
    who: str  # whoever has the trouble: the friend if there is one, else the hero
    trouble: str  # "was afraid of the dark"
    still_trouble: str  # "was still afraid of the dark"
    worry: str  # the trouble as a noun phrase: "the dark"
    solve: str  # what the hero does: "made a lantern from a jar of fireflies"
    outcome: str  # "smiled up at the night sky"
    interest: str  # "dinosaurs"
    tone: str


def kit_for(brief: Brief) -> StoryKit:
    hero = brief.hero
    hero_name = hero.name if hero else "Sam"
    friends = [c for c in brief.characters if hero is None or c.name != hero.name]
    friend = friends[0] if friends else None
    kind = "friend"
    if friend is not None:
        creature = reading.creature(friend.description)
        kind = creature.species if creature else "friend"
    trait = friend.traits[0] if friend and friend.traits else "gentle"
    who = friend.name if friend else hero_name
    arc = (brief.story_arc or "").lower()
    trouble, worry, solve, outcome = _arc(arc, who)
    interest = _words(brief.interests[0], 3).lower() if brief.interests else "adventures"
    return StoryKit(
        hero=hero_name, friend=friend.name if friend else None, kind=kind, trait=trait,
        place=reading.short_place(brief.setting or "home"), who=who, trouble=trouble, still_trouble=_still(trouble),
        worry=worry, solve=solve,
        outcome=outcome, interest=interest, tone=(brief.tone or "warm").lower(),
    )


def _arc(arc: str, who: str) -> tuple[str, str, str, str]:
    """(trouble, worry, solve, outcome) for the kinds of story the offline writer knows."""
    if match := re.search(r"(?:afraid|scared|frightened|fearful|nervous) of ([a-z' ]+)", arc):
        thing = _trim(match.group(1))
        if re.search(r"dark|night", thing):
            return (f"was afraid of {thing}", thing, "made a glowing lantern from a jar of fireflies",
                    "smiled up at the twinkling stars")
        if re.search(r"water|sea|swim", thing):
            return (f"was afraid of {thing}", thing, f"showed {who} how to float like a happy starfish",
                    "splashed and giggled in the shallow waves")
        return (f"was afraid of {thing}", thing, f"turned {thing} into a funny game, one tiny step at a time",
                f"laughed at how small {thing} seemed now")
    if match := re.search(r"(?:lost|lose|losing|missing|can't find) (?:a |an |the |his |her |their |my )?([a-z' ]+)", arc):
        noun = re.sub(r"^(?:(?:the|a|an|his|her|their|my|favourite|favorite)\s+)+", "", _trim(match.group(1))) or "toy"
        return (f"had lost a favourite {noun}", f"the lost {noun}", "followed a trail of tiny clues, one by one",
                f"hugged the {noun} tight")
    if match := re.search(r"(?:wants?|wanted|wishes|dreams?|learns?|learning) (?:to )?(?:learn to |how to )?([a-z' ]+)", arc):
        goal = _trim(match.group(1))
        if goal.startswith(("a friend", "friends", "make friends")):
            return ("wanted a friend", "feeling lonely", f"shared a snack and said a brave hello",
                    "had a brand-new friend")
        return (f"wanted to {goal}", f"trying to {goal}", f"practised with {who} again and again, and tried a clever new way",
                f"could {goal} at last")
    if re.search(r"lonely|friend|shy", arc):
        return ("felt shy and lonely", "feeling lonely", "shared a snack and said a brave hello", "had a brand-new friend")
    return ("had a tricky problem to solve", "the tricky problem", "thought hard and tried a clever plan",
            "cheered because everything was right again")


def _words(text: str, most: int) -> str:
    """`text` as at most `most` plain words, safe inside a sentence."""
    return " ".join(re.sub(r"[^\w' -]", " ", text).split()[:most]) or "adventures"


def _still(trouble: str) -> str:
    verb, _, rest = trouble.partition(" ")
    if verb == "was":
        return f"was still {rest}"
    if verb == "had" and rest.startswith("lost"):
        return "still could not find it"
    return f"still {trouble}"


def _trim(phrase: str) -> str:
    words = re.split(r"\b(?:and|but|so|because|until|when)\b", phrase)[0].split()
    return " ".join(words[:4]) or "something"

