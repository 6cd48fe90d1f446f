"""The offline plotter: beats from the story kit, and revisions from the parent's reply."""

from __future__ import annotations

import random
import re

from bookbug.agents.plot import PlotProposal, PlotProposalInput, PlotReview, PlotReviewInput
from bookbug.providers.text.offline import reading
from bookbug.providers.text.offline.kit import StoryKit, kit_for
from bookbug.story.brief import Brief
from bookbug.story.page_count import MAX_PAGES, MIN_PAGES
from bookbug.story.plot import MAX_BEATS, MIN_BEATS, BeatPurpose, Plot, PlotBeat

APPROVAL_CHIP = "Love it, write the book!"

_TEMPLATES: dict[BeatPurpose, tuple[str, ...]] = {
    BeatPurpose.setup: ("{hero} lived in {place} and loved {interest} more than anything.",
                        "In {place}, {hero} spent every day dreaming about {interest}."),
    BeatPurpose.build: ("One morning {hero} met {friend_intro}, who {trouble}.",
                        "On a walk through {place}, {hero} found {friend_intro}, who {trouble}."),
    BeatPurpose.conflict: ("{hero} tried to help, but nothing worked and {who} felt more and more worried.",
                           "They tried one idea after another, but {who} {still_trouble}."),
    BeatPurpose.twist: ("Then {hero} noticed something surprising and had a wonderful idea.",
                        "Just when {who} wanted to give up, {hero} spotted something that sparked a clever plan."),
    BeatPurpose.climax: ("Using that idea, {hero} {solve}.",
                         "With a deep breath, {hero} {solve}."),
    BeatPurpose.payoff: ("{who} {outcome}, and the two friends laughed together.",
                         "In the end {who} {outcome}, and all of {place} seemed to smile."),
    BeatPurpose.button: ("That night {hero} fell asleep already dreaming of the next adventure.",
                         "And from then on, {who} always saved a spot for {hero} on every adventure."),
}
# A hero on their own has nobody to help, meet or save a spot for.
_SOLO: dict[BeatPurpose, tuple[str, ...]] = {
    BeatPurpose.build: ("One morning something was wrong, because {hero} {trouble}.",),
    BeatPurpose.conflict: ("{hero} tried everything, but nothing worked and {hero} felt more and more worried.",
                           "{hero} tried one idea after another, but {hero} {still_trouble}."),
    BeatPurpose.twist: ("Then {hero} noticed something surprising and had a wonderful idea.",),
    BeatPurpose.payoff: ("{hero} {outcome}, and everyone in {place} cheered.",),
    BeatPurpose.button: ("That night {hero} fell asleep already dreaming of the next adventure.",),
}
_FUNNY_BUTTON = "And then {who} did the silliest happy dance {place} had ever seen."


def beat_sentence(purpose: BeatPurpose, kit: StoryKit, variant: int) -> str:
    if purpose is BeatPurpose.button and "funny" in kit.tone:
        template = _FUNNY_BUTTON
    else:
        options = _SOLO.get(purpose, _TEMPLATES[purpose]) if kit.friend is None else _TEMPLATES[purpose]
        template = options[variant % len(options)]
    return _fill(template, kit)


def _fill(template: str, kit: StoryKit) -> str:
    intro = f"{kit.friend}, a {kit.trait} little {kit.kind}" if kit.friend else "a puzzle"
    text = template.format(hero=kit.hero, friend=kit.friend or kit.hero, friend_intro=intro, who=kit.who,
                           trouble=kit.trouble, still_trouble=kit.still_trouble, place=kit.place, solve=kit.solve, outcome=kit.outcome,
                           interest=kit.interest)
    if kit.friend is None:  # a solo hero: no "two friends", no meeting
        text = text.replace("the two friends laughed together", "everyone laughed together")
        text = text.replace(f"met a puzzle, who {kit.trouble}", f"found out that {kit.who} {kit.trouble}")
        text = text.replace(f"found a puzzle, who {kit.trouble}", f"realised that {kit.who} {kit.trouble}")
    return text[:1].upper() + text[1:]


def purposes_for(page_count: int, extra: int) -> list[BeatPurpose]:
    purposes = list(BeatPurpose)
    if page_count < 12 or len(purposes) + extra > MAX_BEATS:
        purposes.remove(BeatPurpose.twist)
    return purposes


def build_plot(brief: Brief, seed: int) -> Plot:
    """The plot for a brief; each beat's wording depends only on the seed and its place, so a small
    change to the brief (a trait, the tone) changes only the words that mention it."""
    kit = kit_for(brief)
    moments = [_sentence(m) for m in brief.plot_beats][: MAX_BEATS - 6]
    beats: list[PlotBeat] = []
    for index, purpose in enumerate(purposes_for(brief.pages, len(moments))):
        variant = random.Random(f"{seed}:{purpose.value}:{index}").randrange(1000)
        beats.append(PlotBeat(purpose=purpose, sentence=beat_sentence(purpose, kit, variant)))
        if purpose is BeatPurpose.build:
            beats += [PlotBeat(purpose=BeatPurpose.build, sentence=m) for m in moments]
    return Plot(title=brief.title or f"{kit.hero}'s Story", beats=beats)


def propose(input: PlotProposalInput, seed: int, rng: random.Random) -> PlotProposal:
    plot = build_plot(input.brief, seed)
    message = (f"Here's my idea for \"{plot.title}\":\n\n{plot.outline()}\n\n"
               "Shall I write it, or would you like to change something?")
    return PlotProposal(plot=plot, message=message, change_chips=_change_chips(input.brief, rng),
                        approval_chip=APPROVAL_CHIP)


_APPROVE = re.compile(
    r"^\s*(yes|yep|yeah|yay|sure|ok|okay|perfect|great|lovely|wonderful|brilliant|approved?|go ahead|go for it|"
    r"love it|looks (good|great|perfect|lovely)|sounds (good|great|perfect|lovely)|write it|let'?s go|do it|"
    r"that'?s (great|perfect|lovely)|i love it)\b", re.I)
_CHANGE_WORDS = re.compile(r"\b(but|change|make|add|remove|drop|instead|rather|different|less|more|without|swap)\b", re.I)


def is_approval(reply: str) -> bool:
    if reading.clean_phrase(reply).lower() == reading.clean_phrase(APPROVAL_CHIP).lower():
        return True
    return bool(_APPROVE.search(reply)) and not _CHANGE_WORDS.search(reply)


def review(input: PlotReviewInput, seed: int, rng: random.Random) -> PlotReview:
    brief, plot, reply = input.brief.model_copy(deep=True), input.plot, input.reply.strip()
    if is_approval(reply):
        return PlotReview(approved=True, brief=brief, plot=plot, message="Hooray! I'll start writing the pages now.",
                          change_chips=_change_chips(brief, rng), approval_chip=APPROVAL_CHIP)
    revised, note = _revise(brief, plot, reply, seed)
    message = (f"{note}\n\n{revised.outline()}\n\nHow does that look now?")
    return PlotReview(approved=False, brief=brief, plot=revised, message=message,
                      change_chips=_change_chips(brief, rng), approval_chip=APPROVAL_CHIP)


def _revise(brief: Brief, plot: Plot, reply: str, seed: int) -> tuple[Plot, str]:
    """Apply the reply to the brief (in place) and the plot; returns the plot and what was done."""
    if match := re.search(r"\b(?:change|rewrite|redo|replace)\s+beat\s+(\d+)(?:\s*(?:to|with|so that|:)\s*(.+))?", reply, re.I):
        return _change_beat(brief, plot, int(match.group(1)), match.group(2), seed)
    if match := re.search(r"\bbeat\s+(\d+)\s*(?:should be|:)\s*(.+)", reply, re.I):
        return _change_beat(brief, plot, int(match.group(1)), match.group(2), seed)
    if match := re.search(r"\b(?:remove|drop|cut|delete|skip)\s+beat\s+(\d+)", reply, re.I):
        number = int(match.group(1))
        if not 1 <= number <= len(plot.beats):
            return plot, f"There is no beat {number}; the plot has {len(plot.beats)} beats."
        if len(plot.beats) <= MIN_BEATS:
            return plot, f"A story needs at least {MIN_BEATS} beats, so I kept them all."
        beats = [b for i, b in enumerate(plot.beats, 1) if i != number]
        return plot.model_copy(update={"beats": beats}), f"I've taken out beat {number}."
    if (count := reading.page_count(reply)) is not None or re.search(r"\b(shorter|longer)\b", reply, re.I):
        return _resize(brief, plot, count, reply, seed)
    if match := re.search(r"\bmake\s+(?:the\s+|him\s+|her\s+)?([\w'-]+)\s+(?:a\s+(?:bit|little)\s+|more\s+|much\s+|even\s+|really\s+)?([a-z-]+)", reply, re.I):
        return _make(brief, plot, match.group(1), match.group(2), seed)
    if match := re.search(r"\b(?:add|include|put in)\s+(.+)", reply, re.I):
        moment = _sentence(match.group(1))
        brief.plot_beats = [*brief.plot_beats, reading.clean_phrase(match.group(1))]
        return _regenerate(brief, plot, seed), f"I've added that: {moment}"
    if match := re.search(r"\b(?:call it|title it|title should be|name it)\s+[\"“]?([^\"”]+)", reply, re.I):
        brief.title = reading.clean_phrase(match.group(1))[:120]
        return plot.model_copy(update={"title": brief.title}), f"New title: \"{brief.title}\"."
    brief.custom_instructions = "; ".join(filter(None, [brief.custom_instructions, reading.clean_phrase(reply)]))[:1000]
    return _regenerate(brief, plot, seed + 1), "I've reworked the plot with your note in mind."


def _resize(brief: Brief, plot: Plot, count: int | None, reply: str, seed: int) -> tuple[Plot, str]:
    if count is None:
        step = -4 if re.search(r"\bshorter\b", reply, re.I) else 4
        count = max(MIN_PAGES, min(MAX_PAGES, brief.pages + step))
    brief.page_count = count
    return _regenerate(brief, plot, seed), f"The book will have {brief.pages} pages now."


def _change_beat(brief: Brief, plot: Plot, number: int, text: str | None, seed: int) -> tuple[Plot, str]:
    if not 1 <= number <= len(plot.beats):
        return plot, f"There is no beat {number}; the plot has {len(plot.beats)} beats. Which one should change?"
    old = plot.beats[number - 1]
    if text and reading.clean_phrase(text):
        sentence = _sentence(text)
    else:
        kit = kit_for(brief)
        options = [beat_sentence(old.purpose, kit, v) for v in range(len(_TEMPLATES[old.purpose]) + 1)]
        options += [_fill(t, kit) for t in _SOLO.get(old.purpose, ())]
        fresh = [s for s in options if s != old.sentence] or [_sentence(f"{kit.hero} finds a new way forward")]
        sentence = fresh[random.Random(f"{seed}:{number}:{old.sentence}").randrange(len(fresh))]
    beats = list(plot.beats)
    beats[number - 1] = PlotBeat(purpose=old.purpose, sentence=sentence)
    return plot.model_copy(update={"beats": beats}), f"I've changed beat {number}."


_OPPOSITES = {"friendly": {"scary", "mean", "grumpy", "angry", "fierce", "unfriendly"},
              "kind": {"mean", "unkind", "grumpy"}, "brave": {"shy", "scared", "timid"},
              "happy": {"sad", "grumpy"}, "funny": {"serious"}}
_COMPARATIVES = {"funnier": "funny", "sillier": "silly", "friendlier": "friendly", "happier": "happy", "kinder": "kind",
                 "braver": "brave", "nicer": "nice", "calmer": "calm", "cozier": "cozy", "gentler": "gentle",
                 "softer": "soft", "quieter": "quiet", "sleepier": "sleepy", "bolder": "bold", "cuter": "cute"}
_STORY_WORDS = {"it", "story", "this", "book", "plot", "everything", "ending"}


def _make(brief: Brief, plot: Plot, target: str, quality: str, seed: int) -> tuple[Plot, str]:
    quality = quality.lower()
    base = _COMPARATIVES.get(quality, quality)
    if target.lower() in _STORY_WORDS:
        if base in {"funny", "silly"}:
            brief.tone = "funny and silly"
        elif base in {"calm", "sleepy", "cozy", "gentle", "quiet", "soft"}:
            brief.tone = "cozy and gentle"
        else:
            brief.tone = f"{base} and warm"
        return _regenerate(brief, plot, seed), f"I've made it {quality}."
    lowered = target.lower()
    for index, character in enumerate(brief.characters):
        if lowered == character.name.lower() or lowered in character.description.lower():
            opposites = _OPPOSITES.get(base, set())
            traits = [base] + [t for t in character.traits if t.lower() not in opposites and t.lower() != base]
            description = character.description
            for word in opposites:
                description = re.sub(rf"\b{word}\b\s*", "", description, flags=re.I)
            brief.characters[index] = character.model_copy(update={"traits": traits, "description": description})
            return _regenerate(brief, plot, seed), f"Done: {character.name} is {base} now."
    brief.custom_instructions = "; ".join(filter(None, [brief.custom_instructions, f"make the {target} {quality}"]))
    return _regenerate(brief, plot, seed + 1), f"I couldn't find the {target} in the story yet, so I reworked the plot around it."


def _regenerate(brief: Brief, plot: Plot, seed: int) -> Plot:
    """A fresh plot for the changed brief, keeping any beat the parent wrote themselves."""
    fresh = build_plot(brief, seed)
    generated = {b.sentence for b in build_plot(brief, seed - 1).beats} | {b.sentence for b in fresh.beats}
    beats = list(fresh.beats)
    for index, old in enumerate(plot.beats):
        written_by_parent = old.sentence not in generated and not _looks_generated(old.sentence)
        if written_by_parent and index < len(beats) and beats[index].purpose == old.purpose:
            beats[index] = old
    return fresh.model_copy(update={"beats": beats, "title": brief.title or plot.title})


def _looks_generated(sentence: str) -> bool:
    templates = [t for ts in [*_TEMPLATES.values(), *_SOLO.values()] for t in ts] + [_FUNNY_BUTTON]
    return any(_skeleton(t).match(sentence) for t in templates)


def _skeleton(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+", re.escape(template)) + "$", re.I)


def _sentence(text: str) -> str:
    phrase = reading.clean_phrase(re.split(r"(?<=[.!?])\s", text.strip())[0])
    phrase = phrase[:1].upper() + phrase[1:]
    return phrase + "."


def _change_chips(brief: Brief, rng: random.Random) -> list[str]:
    kit = kit_for(brief)
    options = ["Make it funnier", "Change beat 3", "Add a picnic"]
    if kit.friend and "friendly" not in [t.lower() for t in brief.characters[-1].traits]:
        options.insert(0, f"Make {kit.friend} friendlier")
    return options[:4]
