"""The offline plotter: beats from the story kit, and revisions from the parent's reply."""

from __future__ import annotations

import random
import re

from bookbug.agents.plot import PlotProposal, PlotProposalInput, PlotReview, PlotReviewInput
from bookbug.providers.text.offline import english, reading, suitability
from bookbug.providers.text.offline.kit import StoryKit, kit_for
from bookbug.story.brief import Brief
from bookbug.story.page_count import MAX_PAGES, MIN_PAGES
from bookbug.story.plot import MAX_BEATS, MIN_BEATS, BeatPurpose, Plot, PlotBeat

APPROVAL_CHIP = "Love it, write the book!"

# Beats by the premise's frame (see `premise.Action`); each purpose has one or two wordings.
_P = BeatPurpose
_SETUP_HOME = ("{hero} lived {at} and loved {interest} more than anything.",
               "{Hero} spent every day {at}, dreaming about {interest}.")
_SETUP_AWAY = ("One bright morning, {team} set off {to}.",
               "{Team} could hardly wait to go {to}.")
_BEATS: dict[str, dict[BeatPurpose, tuple[str, ...]]] = {
    "task": {
        _P.build: ("There {team} found {thing_intro}, and {they} wanted to {verb} {it}.",
                   "Then {team} came upon {thing_intro}, and {they} decided to {verb} {it}."),
        _P.conflict: ("{Team} tried to {verb} {short_thing}, but {obstacle}.",
                      "{They} tried and tried to {verb} {short_thing}, but {obstacle}."),
        _P.climax: ("With {helper} cheering, {hero} {did}, one careful step at a time.",
                    "Using that idea, {hero} {did} with careful, steady hands."),
        _P.payoff: ("At last {done}, and {everyone} cheered.",
                    "At last {done}, and {everyone} jumped for joy."),
    },
    "learn": {
        _P.build: ("{teacher} wanted to teach {hero} {goal}.",
                   "More than anything, {hero} wanted to learn {goal}."),
        _P.conflict: ("{Hero} tried {goal}, but {obstacle}.",
                      "{Hero} tried again and again, but {obstacle}."),
        _P.climax: ("{Hero} tried one more time and {did}!",
                    "Slowly and carefully, {hero} {did}!"),
        _P.payoff: ("{teacher} cheered, and {hero} felt ten feet tall.",
                    "{teacher} clapped and cheered, and {hero} beamed with pride."),
    },
    "want": {
        _P.build: ("{Who} wanted {goal} more than anything.",
                   "All {who} wanted was {goal}."),
        _P.conflict: ("{Who} tried {goal}, but {obstacle}.",
                      "{Who} tried and tried, but {obstacle}."),
        _P.climax: ("With {hero_s} help, {who} {did} at last.",
                    "Following {hero_s} plan, {who} {did}."),
        _P.payoff: ("{Who} smiled from ear to ear, and so did {hero}.",
                    "{Who} was as happy as could be, and so was {hero}."),
    },
    "fear": {
        _P.build: ("{Who} was afraid of {thing}, and nobody knew what to do.",
                   "{Who} felt very afraid of {thing}."),
        _P.conflict: ("{Hero} tried to help, but {thing} still seemed very big to {who}.",
                      "They tried to be brave, but {thing} still felt too big."),
        _P.climax: ("{Hero} {did}.",
                    "With a deep breath, {hero} {did}."),
        _P.payoff: ("{Who} smiled at {thing} and was not afraid anymore.",
                    "In the end {who} felt brave about {thing}, and the two friends laughed together."),
    },
    "find": {
        _P.build: ("One day, {who} lost {lost_thing}{rest}.",
                   "Oh no, {lost_thing} had gone missing{rest}!"),
        _P.conflict: ("They looked high and low, but {short_thing} was nowhere to be seen.",
                      "They searched everywhere, but {short_thing} was still missing."),
        _P.climax: ("{Hero} followed a trail of tiny clues and found {short_thing}.",
                    "Clue by clue, {hero} tracked down {short_thing}."),
        _P.payoff: ("{Who} hugged {short_thing} tight, and everyone cheered.",
                    "{Who} was so happy to have {short_thing} back again."),
    },
    "friend": {
        _P.build: ("{Who} wanted a friend to play with.",
                   "{Who} felt shy and a little lonely."),
        _P.conflict: ("{Who} tried to join in, but felt too shy to say hello.",
                      "{Who} wanted to say hello, but the words stayed stuck inside."),
        _P.climax: ("{Hero} shared a snack and said a brave hello.",
                    "{Hero} waved and said, \"Do you want to play?\""),
        _P.payoff: ("{Who} had a brand-new friend, and everyone played together.",
                    "Now {who} had a friend, and the whole day felt brighter."),
    },
    "journey": {
        _P.build: ("{Team} {were} going to {journey}.",
                   "Today {team} {were} going to {journey}."),
        _P.conflict: ("Halfway there, {obstacle_journey}.",
                      "Then, oh dear, {obstacle_journey}."),
        _P.climax: ("{Hero} found a clever way, and on they went.",
                    "{Hero} thought of a plan, and they kept going."),
        _P.payoff: ("{Team} {journey_past} at last, and it was the best day ever.",
                    "In the end {team} {journey_past}, and it was wonderful."),
    },
    "general": {
        _P.build: ("One morning, {hero} found a tricky problem to solve.",
                   "One day something was not quite right {at}."),
        _P.conflict: ("{Hero} tried one idea after another, but nothing worked.",
                      "{Hero} tried everything, but the problem only grew."),
        _P.climax: ("{Hero} thought hard and tried a clever plan.",
                    "With a deep breath, {hero} tried a brand-new idea."),
        _P.payoff: ("Everything was right again, and everyone {at} cheered.",
                    "It worked, and {team} laughed together."),
    },
}
# Verbs that make their object: the story starts with the wish to make it, not with finding it.
CREATING = {"build", "make", "bake", "cook", "paint", "draw", "plant", "grow", "write", "invent", "design", "knit",
            "sew", "decorate", "create", "rebuild", "prepare", "plan", "organise", "organize"}
_CREATE_BUILD = ("{Team} decided to {verb} {thing_a}{rest}.",
                 "One morning, {team} had a big idea: to {verb} {thing_a}{rest}.")
_COMMON: dict[BeatPurpose, tuple[str, ...]] = {
    _P.twist: ("Then {hero} spotted {spark}, and a clever idea popped up.",
               "Just then, {hero} noticed {spark} and had a wonderful idea."),
    _P.button: ("That night, {hero} fell asleep dreaming of the next adventure.",
                "And from then on, {hero} and {helper} were ready for anything."),
}
_FUNNY_BUTTON = "And then {team} did the silliest happy dance {at} ever seen."
_JOURNEY_TROUBLES = ("dark clouds rolled in and the path got muddy", "a big puddle blocked the way",
                     "the map blew away in the wind")


def beat_sentence(purpose: BeatPurpose, kit: StoryKit, variant: int) -> str:
    if purpose is BeatPurpose.button and "funny" in kit.tone:
        return fill(_FUNNY_BUTTON, kit)
    options = _options(purpose, kit)
    return fill(options[variant % len(options)], kit)


# When the trouble is a friend's (a dragon afraid of the dark), the hero meets them first.
_MEET = {
    "fear": "One evening, {hero} met {friend_intro}, who was afraid of {thing}.",
    "want": "One day, {hero} met {friend_intro}, who wanted {goal} more than anything.",
    "find": "One day, {hero} met {friend_intro}, who had lost {lost_thing}{rest}.",
    "friend": "One day, {hero} met {friend_intro}, who wanted a friend to play with.",
}


def _options(purpose: BeatPurpose, kit: StoryKit) -> tuple[str, ...]:
    if purpose is BeatPurpose.build and kit.who != kit.hero and kit.action.frame in _MEET:
        return (_MEET[kit.action.frame],)
    if purpose is BeatPurpose.setup:
        away = not kit.place.home or kit.action.frame == "journey"
        return _SETUP_AWAY if away and kit.place.to != "home" else _SETUP_HOME
    if purpose in _COMMON:
        return _COMMON[purpose]
    frame = kit.action.frame if kit.action.frame in _BEATS else "general"
    if frame == "task" and not kit.action.thing:
        frame = "general"
    options = _BEATS[frame][purpose]
    if frame == "task" and purpose is BeatPurpose.build and kit.action.verb in CREATING:
        options = _CREATE_BUILD  # nobody finds the cake they are about to bake
    if kit.friend is None:  # a hero on their own: nobody else to cheer, meet or help
        options = tuple(o for o in options if "{helper}" not in o and "{teacher}" not in o) or options
    return options


def fill(template: str, kit: StoryKit) -> str:
    """A template told with the kit's words; "{Hero}" capitalises the value."""
    values = slots(kit)
    text = re.sub(r"\{(\w+)\}", lambda m: _slot(m.group(1), values), template)
    return text[:1].upper() + text[1:]


def _slot(name: str, values: dict[str, str]) -> str:
    value = values.get(name.lower(), "")
    return value[:1].upper() + value[1:] if name[:1].isupper() else value


def slots(kit: StoryKit) -> dict[str, str]:
    action = kit.action
    thing_is_someone = kit.thing in kit.cast
    thing_intro = (f"{kit.thing}, {action.thing}" if thing_is_someone and action.thing else action.thing or kit.thing)
    plural = kit.team != kit.hero
    journey = " ".join(filter(None, [action.verb if action.verb != "have" else "have", action.thing, action.rest]))
    journey_past = " ".join(filter(None, [english.past(action.verb or "go"), action.thing, action.rest]))
    trouble = _JOURNEY_TROUBLES[sum(map(ord, kit.premise)) % len(_JOURNEY_TROUBLES)]
    noun = action.noun or "thing"
    lost = ("a favourite " + noun if kit.who != kit.hero else f"{english.possessive(kit.who)} {noun}")
    return {
        "hero": kit.hero, "hero_s": english.possessive(kit.hero), "team": kit.team, "helper": kit.helper,
        "teacher": kit.teacher, "who": kit.who, "at": kit.place.at, "to": kit.place.to, "place": kit.place.name,
        "interest": kit.interest, "thing": kit.thing, "short_thing": kit.short_thing, "thing_intro": thing_intro,
        "it": "them" if _plural(action.noun) else "it", "verb": action.verb,
        "everyone": english.join_names([kit.hero, *kit.cast[:3]]),
        "goal": kit.goal(), "did": kit.did(), "done": _done(kit), "obstacle": kit.obstacle, "spark": kit.spark,
        "were": "were" if plural else "was", "they": "they" if plural else kit.pronoun, "journey": journey or "have a big day", "journey_past": journey_past,
        "obstacle_journey": trouble, "lost_thing": lost, "rest": f" {action.rest}" if action.rest else "",
        "friend": kit.friend or kit.hero, "kind": kit.kind, "trait": kit.trait, "thing_a": action.thing,
        "friend_intro": f"{kit.friend}, {english.with_article(kit.trait + ' little ' + kit.kind)}" if kit.friend else "",
    }


def _done(kit: StoryKit) -> str:
    action = kit.action
    if not action.verb or not action.thing:
        return "everything was right again"
    was = "were" if _plural(action.noun) and kit.thing not in kit.cast else "was"
    return f"{kit.thing} {was} {english.participle(action.verb)}"


def _plural(noun: str) -> bool:
    return len(noun) > 3 and noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


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
    if (declined := suitability.screen_reply(input)) is not None:
        return suitability.declined_review(input, declined, APPROVAL_CHIP)
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
        options = [beat_sentence(old.purpose, kit, v) for v in range(len(_options(old.purpose, kit)) + 1)]
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
    templates = [t for frame in _BEATS.values() for ts in frame.values() for t in ts]
    templates += [t for ts in _COMMON.values() for t in ts] + [*_SETUP_HOME, *_SETUP_AWAY, _FUNNY_BUTTON]
    templates += list(_MEET.values()) + list(_CREATE_BUILD)
    # Templates that are nearly all slots ("{Hero} {did}.") would match anything a parent writes.
    telling = [t for t in templates if len(re.sub(r"\{\w+\}|\W", "", t)) >= 12]
    return any(_skeleton(t).match(sentence) for t in telling)


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
