"""The offline prose writer: a setup (with a refrain), then pages fitted to the age band's limits.

Each page is assembled from the beat's own sentence (on the beat's first page), lines for
the beat's purpose and scene lines from `lines`, filled with the story kit's words. The
writer sees every page written so far, and:
- never tells a sentence twice (only the setup's refrain, chosen once, comes back, on the
  pages where the story turns);
- uses each line of the bank at most once, so the book moves on;
- starts the sentences of a page with different words, and avoids the openings of the
  pages just before;
- brings every member of the cast into the text, the least-mentioned first.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bookbug.agents.prose import ProsePageInput, ProseSetupInput
from bookbug.providers.text.offline import english, lines, plotting
from bookbug.providers.text.offline.kit import StoryKit, kit_for
from bookbug.providers.text.offline.lines import Line
from bookbug.story.plot import BeatPurpose, PagePlan
from bookbug.story.prose import ProsePage, ProseSetup
from bookbug.story.reading_level import (TextLimits, count_sentences, count_words, plain_words, sentences, states_moral,
                                         text_problems)

_SPACE = {"mars", "moon", "space", "planet", "galaxy", "stars", "rocket", "spaceship", "space station", "jupiter",
          "saturn", "venus", "pluto"}
_WATER = {"lake", "sea", "ocean", "beach", "river", "pond", "seaside", "harbour", "harbor", "bay", "shore", "coast",
          "riverbank", "waterfall", "pool", "reef"}
_SEARCH_BUDGET = 4000
_EARLY = (BeatPurpose.setup, BeatPurpose.build)  # choices tried per page before settling for the best found


def write_setup(input: ProseSetupInput) -> ProseSetup:
    kit, brief = kit_for(input.brief), input.brief
    limits = brief.text_limits
    logline = f"{kit.team} set out {kit.goal()}, and {kit.hero} finds the way {kit.place.at}."
    if kit.action.frame == "general":
        logline = f"{kit.hero} solves a tricky problem {kit.place.at} with a clever idea of {kit.possessive} own."
    theme = brief.moral if brief.moral and len(brief.moral) >= 3 else "friendship and finding your own clever way"
    refrain = refrain_for(kit)
    notes = (f"Past tense, read-aloud rhythm, {kit.tone} tone. {limits.describe()} per page for ages "
             f"{brief.age_range}. {kit.hero} solves the problem through {kit.possessive} own idea and actions; "
             f"the theme is shown through what happens, never stated. No sentence is told twice; the refrain "
             f"\"{refrain}\" comes back where the story turns.")
    return ProseSetup(logline=english.capitalise(logline)[:400], theme=theme[:200], style_notes=notes[:1000],
                      refrain=refrain)


def refrain_for(kit: StoryKit) -> str:
    verb = kit.action.verb if kit.action.frame == "task" and kit.action.verb else ""
    template = lines.REFRAINS["task" if verb else kit.action.frame if kit.action.frame != "task" else "general"]
    return template.replace("{Verb}", verb.capitalize()).replace("{verb}", verb)


def write_page(input: ProsePageInput, rng: random.Random) -> ProsePage:
    brief, plan = input.brief, input.page
    kit = kit_for(brief)
    refrain = input.setup.refrain
    told = {plain_words(s) for page in input.pages_so_far for s in sentences(page.text)}
    earlier = " ".join(page.text for page in input.pages_so_far)
    recent = [s for page in input.pages_so_far[-2:] for s in sentences(page.text)]
    pal = _next_pal(kit, earlier)
    lead = [plan.beat.sentence] if plan.part == 1 and plain_words(plan.beat.sentence) not in told else []
    extra = [refrain] if refrain and _refrain_page(plan, input) else []
    candidates = _candidates(kit, plan, pal, earlier, told, brief.moral, brief.text_limits, rng)
    text = None
    musts: list[str] = []
    told_here = (earlier + " " + " ".join(lead)).lower()
    if brief.interests and kit.interest.lower() not in told_here and plan.beat.purpose in _EARLY:
        musts.append(kit.interest)  # what the child loves belongs in the story early
    if pal is not None and not re.search(r"\b" + re.escape(pal.lower()) + r"\b", told_here):
        musts.append(pal)  # everyone in the cast turns up in the text, the least mentioned first
    for must in musts:
        group = next((g for g in candidates if must.lower() in g[0].text.lower()), None)
        if group is not None:
            rest = [g for g in candidates if g is not group]
            for option in sorted(group, key=lambda o: o.words):
                text = compose(lead + [option.text] + extra, rest, brief.text_limits, set(), rng)
                if text is not None:
                    break
        if text is not None:
            break
    if text is None:
        text = compose(lead + extra, candidates, brief.text_limits, {_opening(s) for s in recent}, rng)
    if text is None:
        text = compose(lead, candidates, brief.text_limits, set(), rng)
    if text is None:
        text = compose([], candidates + _fallbacks(kit, told), brief.text_limits, set(), rng)
    if text is None:
        raise RuntimeError(f"the offline writer found no page text within {brief.text_limits.describe()} for {kit.hero}")
    first = sentences(text)[0]
    summary = plan.beat.sentence if plan.part == 1 else f"The {plan.beat.purpose.value} goes on: {first}"
    present = [kit.hero] + [name for name in kit.cast if re.search(r"\b" + re.escape(name) + r"\b", text)]
    concept = (f"{english.join_names(present)} {kit.place.at}: {first.rstrip('.!?')}. "
               f"The {plan.beat.purpose.value} of the story; mood: {kit.tone}.")
    return ProsePage(page_number=plan.page_number, summary=summary[:400], text=text, image_concept=concept[:600])


def _refrain_page(plan: PagePlan, input: ProsePageInput) -> bool:
    """The refrain comes back where the story turns: the first conflict and climax pages, the last payoff page."""
    purpose = plan.beat.purpose
    if purpose in (BeatPurpose.conflict, BeatPurpose.climax):
        return plan.part == 1
    return purpose is BeatPurpose.payoff and plan.part == plan.parts


@dataclass(frozen=True)
class _Option:
    text: str
    words: int
    group: int  # options of one line share a group: at most one per page
    own: bool  # a line of the beat's purpose (tried before scene lines)

    @property
    def sentences(self) -> int:
        return count_sentences(self.text)  # '"Are we there yet?" asked Sam.' reads as two


def _candidates(kit: StoryKit, plan: PagePlan, pal: str | None, earlier: str, told: set[str],
                moral: str | None, limits: TextLimits, rng: random.Random) -> list[list[_Option]]:
    """Fresh lines for this page, the beat's own lines first, each with its short and long forms."""
    own = [line for line in lines.BY_PURPOSE[plan.beat.purpose] if _fits(line, kit, pal)]
    night = plan.beat.purpose is BeatPurpose.button
    scene = [line for line in lines.SCENE if _fits(line, kit, pal) and not (night and "day" in line.needs)]
    groups: list[list[_Option]] = []
    plain_earlier = plain_words(earlier)
    long_pages = limits.min_words / max(1, limits.max_sentences) >= 9
    # A tail lengthens a line only while it is fresh: each is told at most twice in a book.
    tails = [t for t in lines.TAILS if plain_earlier.count(plain_words(_fill(t, kit, pal))) < 2] if long_pages else []
    rng.shuffle(tails)
    for index, line in enumerate(own + scene):
        mine = line in own
        if _used(line, kit, plain_earlier):
            continue
        endings = ["", *line.endings]
        if tails and '"' not in line.base and not line.base.endswith(("?", "!")) and len(line.endings) < 2:
            endings.append(tails[index % len(tails)])  # only lines without long endings of their own
        texts = [_end(_fill(line.base + ending, kit, pal)) for ending in endings]
        options = [_Option(t, count_words(t), len(groups), mine) for t in texts
                   if plain_words(t) not in told and not (moral and states_moral(t, moral))
                   and not _retells(t, plan.beat.sentence, kit)]
        if options:
            groups.append(options)
    return groups


def _fits(line: Line, kit: StoryKit, pal: str | None) -> bool:
    place = kit.place.name.lower().removeprefix("the ")
    space = any(word in place.split() or word == place for word in _SPACE)
    water = any(word in place.split() for word in _WATER)
    action = kit.action
    need = {
        "pal": pal is not None,
        "home": kit.place.home and action.frame != "journey",
        "away": not kit.place.home or action.frame == "journey",
        "thing": action.frame in {"task", "find"} and bool(action.thing),
        "task": action.frame == "task",
        "goal": action.frame in {"task", "learn", "want", "friend", "journey"},
        "obstacle": action.frame in {"task", "learn", "want"},
        "spark": action.frame in {"task", "learn", "want", "find", "fear"},
        "space": space,
        "water": water,
        "land": not space,
        "day": True,  # lines of the daytime: left out of the bedtime ending by `_candidates`
    }
    return all(need[item] for item in line.needs)


def _used(line: Line, kit: StoryKit, plain_earlier: str) -> bool:
    """True when the book already told this line (with any of the cast beside the hero)."""
    for pal in (*kit.cast, None):
        if _fits(line, kit, pal) and f" {plain_words(_fill(line.base, kit, pal))} " in f" {plain_earlier} ":
            return True
    return False


def _next_pal(kit: StoryKit, earlier: str) -> str | None:
    """The cast member the book has mentioned least so far (so everyone turns up)."""
    if not kit.cast:
        return None
    return min(kit.cast, key=lambda name: (len(re.findall(r"\b" + re.escape(name) + r"\b", earlier)),
                                           kit.cast.index(name)))


def _fill(template: str, kit: StoryKit, pal: str | None) -> str:
    values = plotting.slots(kit)
    he = kit.pronoun
    values.update({
        "pal": pal or kit.hero, "he": he, "his": kit.possessive, "short_thing": kit.short_thing,
        "the_spark": english.definite(kit.spark),
    })
    text = re.sub(r"\{(\w+)\}", lambda m: _slot(m.group(1), values), template)
    return english.capitalise(text)


def _slot(name: str, values: dict[str, str]) -> str:
    value = values.get(name.lower(), "")
    return english.capitalise(value) if name[:1].isupper() else value


def _end(sentence: str) -> str:
    return sentence if sentence.endswith(("!\"", "?\"", ".", "!", "?")) else sentence + "."


def _retells(line: str, sentence: str, kit: StoryKit) -> bool:
    """True when most of the line's content words are already in the beat's sentence."""
    names = {n.lower() for n in (kit.hero, *kit.cast)}
    words = {w for w in plain_words(line).split() if len(w) > 3 and w not in _SMALL_WORDS and w not in names}
    if not words:
        return False
    said = set(plain_words(sentence).split())
    return len(words & said) / len(words) >= 0.5


_SMALL_WORDS = {"with", "that", "this", "from", "they", "their", "them", "then", "what", "were", "into", "more", "than"}


def _opening(sentence: str) -> str:
    words = plain_words(sentence).split()
    return words[0] if words else ""


def compose(fixed: list[str], groups: list[list[_Option]], limits: TextLimits, avoid_openings: set[str],
            rng: random.Random) -> str | None:
    """`_compose` with varied openings if it can, then with fewer rules about openings."""
    for strict in (2, 1, 0):
        text = _compose(fixed, groups, limits, avoid_openings if strict == 2 else set(), strict > 0, rng)
        if text is not None:
            return text
    return None


def _compose(fixed: list[str], groups: list[list[_Option]], limits: TextLimits, avoid_openings: set[str],
             distinct: bool, rng: random.Random) -> str | None:
    """A page text inside `limits`: the `fixed` sentences first, then lines in bank order.

    Lines are tried in a shuffled order (the beat's own lines before scene lines); on one page
    no two sentences start with the same word, and a page does not open like the pages just
    before. Returns None when nothing fits."""
    head = [s for s in fixed if s]
    head_words = sum(count_words(s) for s in head)
    if sum(count_sentences(s) for s in head) > limits.max_sentences or head_words > limits.max_words:
        return None
    openings = {_opening(s) for s in head}
    budget = [_SEARCH_BUDGET]
    longest = max((o.words for g in groups for o in g), default=0)
    # Options near the average sentence length the band needs are tried first, the beat's own
    # lines before scene lines, in a shuffled order among equals.
    target = (limits.min_words + limits.max_words) / (limits.min_sentences + limits.max_sentences)

    def fit(group: list[_Option]) -> int:
        return min(round(abs(o.words - target) / 3) for o in group)

    jitter = {i: rng.random() for i in range(len(groups))}
    own_first = sorted(range(len(groups)), key=lambda i: (not groups[i][0].own, fit(groups[i]), jitter[i]))

    head_sentences = sum(count_sentences(s) for s in head)

    def search(start: int, chosen: list[_Option], words: int, used_openings: set[str]) -> list[_Option] | None:
        count = head_sentences + sum(o.sentences for o in chosen)
        if limits.min_sentences <= count <= limits.max_sentences and limits.min_words <= words <= limits.max_words \
                and (head or chosen) and (head or _opening(chosen[0].text) not in avoid_openings) \
                and not text_problems(" ".join([*head, *(o.text for o in chosen)]), limits):
            return chosen
        if count >= limits.max_sentences or budget[0] <= 0:
            return None
        if words + (limits.max_sentences - count) * longest < limits.min_words:
            return None  # even the longest lines could not fill the page from here
        for position in range(start, len(own_first)):
            group = groups[own_first[position]]
            options = list(group)
            rng.shuffle(options)
            options.sort(key=lambda o: abs(o.words - target))
            for option in options:
                budget[0] -= 1
                opening = _opening(option.text)
                if (distinct and opening in used_openings) or words + option.words > limits.max_words:
                    continue
                if not head and not chosen and opening in avoid_openings:
                    continue  # the page would open like one of the pages just before
                found = search(position + 1, [*chosen, option], words + option.words, used_openings | {opening})
                if found is not None:
                    return found
                if budget[0] <= 0:
                    return None
        return None

    picked = search(0, [], head_words, openings)
    if picked is None:
        return None
    return " ".join([*head, *(option.text for option in picked)])


def _fallbacks(kit: StoryKit, told: set[str]) -> list[list[_Option]]:
    """Last resort when the bank runs dry: short lines built from each name and a fresh detail."""
    details = ("looked up at the sky", "took a little rest", "listened very carefully", "had a drink of water",
               "counted to ten", "waved hello to a bird", "tied a loose shoelace", "found a smooth stone")
    groups: list[list[_Option]] = []
    for who in (kit.hero, *kit.cast):
        for detail in details:
            texts = [f"{who} {detail}{tail}." for tail in ("", *lines.TAILS)]
            options = [_Option(t, count_words(t), len(groups), False) for t in texts if plain_words(t) not in told]
            if options:
                groups.append(options)
    return groups
