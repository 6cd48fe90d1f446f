"""The offline prose writer: a setup, then pages fitted to the age band's sentence and word limits.

Each page is assembled from candidate sentences: the beat's own sentence, lines for the
beat's purpose and a few scene lines. Each candidate has a short form and longer forms (an
extra clause), so one bank serves toddlers (10-20 words) and early readers (40-60 words).
`fit` searches the combinations, in order, for one inside the limits; sentences already
used on earlier pages are avoided, so the book moves on instead of repeating itself.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass

from bookbug.agents.prose import ProsePageInput, ProseSetupInput
from bookbug.providers.text.offline.kit import StoryKit, kit_for
from bookbug.story.plot import BeatPurpose
from bookbug.story.prose import ProsePage, ProseSetup
from bookbug.story.reading_level import TextLimits, count_words, states_moral, text_problems

# (sentence without its full stop, longer endings, needs a friend). Past tense throughout.
Line = tuple[str, tuple[str, ...], bool]

_LINES: dict[BeatPurpose, tuple[Line, ...]] = {
    BeatPurpose.setup: (
        ("{hero} lived in {place}", (", where every morning began with birdsong", " with a head full of big ideas and bigger dreams"), False),
        ("{hero} loved {interest} more than anything", (", and talked about {interest} all day long", " in the whole wide world, even more than pancakes"), False),
        ("Every day felt like a new adventure", (" waiting just around the corner", " for {hero}, full of things to find and wonder about"), False),
        ("The sun peeked over {place}", (" and painted everything gold", " and tickled {hero_s} nose until it was time to get up"), False),
        ("{hero} always had a pocket full of questions", (" and a heart full of kindness", " about how things worked and why the sky was so big"), False),
    ),
    BeatPurpose.build: (
        ("One morning, {hero} met {friend}, a {trait} little {kind}", (" with the roundest eyes {hero} had ever seen",), True),
        ("{who} {trouble}", (", and nobody knew quite what to do", ", and it made every single day feel a little bit harder"), False),
        ("\"Hello,\" said {hero}, with a wave", (" and a great big smile",), True),
        ("{hero} and {friend} explored {place} together", (", giggling all the way", " from breakfast all the way until lunchtime"), True),
        ("{hero} hummed a little song about {interest}", (" while skipping along", " and made up new words for every verse along the way"), False),
        ("{friend} told {hero} a secret", (" in a very small voice",), True),
        ("Something was not quite right", (" in {place}", " in {place} that day, and {hero} could feel it"), False),
    ),
    BeatPurpose.conflict: (
        ("{hero} tried to help", (", but nothing seemed to work", " in every way there was"), True),
        ("{who} felt small and worried", (", like a mouse in a very big house", " and wished that the problem would simply float away"), False),
        ("{hero} tried one idea, then another", (", but each one went wobbly", ", but each plan fell apart like a sandcastle in the rain"), False),
        ("{who} asked, \"What can we do now?\"", (), True),
        ("Even {hero} felt a little stuck", (" for a moment", " and sat down on a rock to think for a long while"), False),
        ("The problem seemed bigger than ever", (" and {who} sighed a long, slow sigh", ", and the afternoon grew very quiet around them"), False),
    ),
    BeatPurpose.twist: (
        ("Then {hero} noticed something surprising", (" glimmering nearby", " that nobody else in {place} had ever seen before"), False),
        ("\"Wait,\" said {hero}, \"I have an idea!\"", (), False),
        ("{hero_s} eyes went wide", (" as a brand-new idea popped up", " as a bright new idea popped up like a bubble"), False),
        ("Maybe there was another way", (" after all", " to make things right, if {hero} looked carefully enough"), False),
        ("{hero} looked at the problem from a brand-new side", (" and started to smile", ", upside down and inside out, until a plan began to grow"), False),
    ),
    BeatPurpose.climax: (
        ("{hero} {solve}", (" with careful, steady hands",), False),
        ("{hero} took a deep breath and got to work", (", one careful step at a time", ", one careful step and then another careful step"), False),
        ("It was hard, but {hero} kept going", (" and tried again and again", ", trying again and again until the plan began to work"), False),
        ("\"You can do it,\" {hero} whispered to {friend}", (), True),
        ("Slowly, something wonderful began to happen", (" right before their eyes", ", as quiet and bright as the first star of the evening"), False),
    ),
    BeatPurpose.payoff: (
        ("{who} {outcome}", (" and felt warm all the way through", " and felt warm and glowing all the way down to the toes"), False),
        ("Everyone in {place} cheered", (" and clapped their hands", " and clapped their hands and stamped their happy feet"), False),
        ("{hero} and {friend} hugged", (" the biggest hug in the whole world",), True),
        ("It had worked", (", just like {hero} had hoped", ", just like {hero} had hoped it would, and even a little better"), False),
        ("{friend} gave {hero} a thank-you smile", (" as bright as the morning sun",), True),
    ),
    BeatPurpose.button: (
        ("That night, {hero} fell asleep smiling", (", dreaming of {interest}", ", dreaming of {interest} and of everything that had happened"), False),
        ("And {friend} always saved a spot for {hero}", (" on every new adventure",), True),
        ("Tomorrow would bring a brand-new adventure", (" in {place}", " in {place}, and {hero} could hardly wait to find it"), False),
        ("And the stars winked goodnight", (" over {place}", " over the rooftops and the treetops of {place}"), False),
    ),
}

_SCENE: tuple[Line, ...] = (
    ("A soft breeze danced through {place}", (" and rustled the leaves", " and carried the smell of warm bread and flowers"), False),
    ("Birds hummed a happy tune", (" high above", " high above, as if they were cheering {hero} on"), False),
    ("{hero} smiled a great big smile", (" that reached all the way up to the ears",), False),
    ("Tap, tap, tap went {hero_s} little feet", (" along the winding path", " along the winding path, quick and light and full of bounce"), False),
    ("{friend} wiggled with excitement", (" from nose to tail",), True),
    ("The air smelled sweet and new", (" like a morning after the rain",), False),
)


@dataclass(frozen=True)
class _Option:
    text: str
    words: int
    key: str  # the line it came from, to avoid repeating a line on later pages


def write_setup(input: ProseSetupInput) -> ProseSetup:
    kit, brief = kit_for(input.brief), input.brief
    limits = brief.text_limits
    logline = f"When {kit.who} {kit.trouble}, {kit.hero} {kit.solve} in {kit.place}."
    theme = brief.moral if brief.moral and len(brief.moral) >= 3 else "friendship and finding your own clever way"
    notes = (f"Past tense, read-aloud rhythm, {kit.tone} tone. {limits.describe()} per page for ages "
             f"{brief.age_range}. {kit.hero} solves the problem through {kit.hero}'s own idea and actions; "
             f"the theme is shown through what happens, never stated. Sensory words and a gentle repeated beat.")
    return ProseSetup(logline=logline, theme=theme, style_notes=notes)


def write_page(input: ProsePageInput, rng: random.Random) -> ProsePage:
    brief, plan = input.brief, input.page
    kit = kit_for(brief)
    used = {key for page in input.pages_so_far for key in _keys_in(page.text, kit)}
    recent = {key for page in input.pages_so_far[-2:] for key in _keys_in(page.text, kit)}
    lead = [plan.beat.sentence] if plan.part == 1 else []
    # Lines that retell the beat's own sentence (told on its first page) would say the same thing twice.
    purpose_lines = [line for line in _LINES[plan.beat.purpose]
                     if (kit.friend or not line[2]) and not _retells(_key(line, kit), plan.beat.sentence, kit)]
    met = plan.beat.purpose is not BeatPurpose.setup  # the friend only turns up once the story gets going
    purpose_lines = [line for line in purpose_lines if met or not line[2]]
    scene_lines = [line for line in _SCENE if (kit.friend and met) or not line[2]]
    rng.shuffle(scene_lines)
    text = fit(lead, purpose_lines, scene_lines, kit, brief.text_limits, brief.moral, (used, recent), rng)
    first = re.split(r"(?<=[.!?])\s|(?<=[.!?]\")\s", text)[0]
    summary = plan.beat.sentence if plan.part == 1 else f"The {plan.beat.purpose.value} goes on: {first}"
    present = [kit.hero] + ([kit.friend] if kit.friend and kit.friend in text else [])
    concept = (f"{' and '.join(present)} in {kit.place}: {first.rstrip('.!?')}. "
               f"The {plan.beat.purpose.value} of the story; mood: {kit.tone}.")
    return ProsePage(page_number=plan.page_number, summary=summary[:400], text=text, image_concept=concept[:600])


def fit(lead: list[str], purpose_lines: list[Line], scene_lines: list[Line], kit: StoryKit, limits: TextLimits,
        moral: str | None, avoid_in_turn: tuple[set[str], ...], rng: random.Random) -> str:
    """A page text inside `limits`: the lead sentence (if it fits) and lines in story order.

    `avoid_in_turn` lists the lines to avoid, strictest first (e.g. every line used so far,
    then the lines of the last pages); the last resort repeats any line."""
    for avoid in (*avoid_in_turn, set()):  # prefer fresh lines; repeat only when the bank runs dry
        fresh = [_options(line, kit) for line in purpose_lines + scene_lines if _key(line, kit) not in avoid]
        choices: list[list[_Option]] = [[_Option(s, count_words(s), s)] for s in lead] + fresh
        choices = [[o for o in group if not (moral and states_moral(o.text, moral))] for group in choices]
        choices = [group for group in choices if group]
        found = _search(choices, limits, bool(lead) and len(choices) > 0, rng)
        if found is not None:
            return found
    raise RuntimeError(f"the offline writer found no page text within {limits.describe()} for {kit.hero}")


def _search(groups: list[list[_Option]], limits: TextLimits, keep_first: bool, rng: random.Random) -> str | None:
    valid: list[str] = []
    indices = range(1 if keep_first else 0, len(groups))
    for size in range(limits.min_sentences, limits.max_sentences + 1):
        rest = size - 1 if keep_first else size
        for picked in itertools.combinations(indices, rest):
            chosen = ([0] if keep_first else []) + list(picked)
            for combo in itertools.product(*(groups[i] for i in chosen)):
                words = sum(option.words for option in combo)
                if limits.min_words <= words <= limits.max_words:
                    text = " ".join(option.text for option in combo)
                    if not text_problems(text, limits):
                        valid.append(text)
            if len(valid) >= 60:
                return rng.choice(valid)
    if valid:
        return rng.choice(valid)
    if keep_first:  # the beat's own sentence does not fit this band: tell the beat in the lines instead
        return _search(groups[1:], limits, False, rng)
    return None


def _fill(text: str, kit: StoryKit) -> str:
    hero_s = kit.hero + ("'" if kit.hero.endswith("s") else "'s")
    filled = text.format(hero=kit.hero, hero_s=hero_s, friend=kit.friend or kit.hero, who=kit.who, trait=kit.trait,
                         kind=kit.kind, place=kit.place, interest=kit.interest, trouble=kit.trouble,
                         solve=kit.solve, outcome=kit.outcome)
    return filled[:1].upper() + filled[1:]


def _options(line: Line, kit: StoryKit) -> list[_Option]:
    base, endings, _ = line
    key = _key(line, kit)
    texts = [_end(_fill(base, kit))] + [_end(_fill(base + ending, kit)) for ending in endings]
    return [_Option(t, count_words(t), key) for t in texts]


def _end(sentence: str) -> str:
    return sentence if sentence.endswith(("!\"", "?\"", ".", "!", "?")) else sentence + "."


def _key(line: Line, kit: StoryKit) -> str:
    return _fill(line[0], kit)


def _keys_in(text: str, kit: StoryKit) -> list[str]:
    """The bank lines already told in `text` (punctuation and case ignored)."""
    lines = [line for group in _LINES.values() for line in group] + list(_SCENE)
    told = _plain(text)
    return [key for key in (_key(line, kit) for line in lines) if _plain(key) in told]


_SMALL_WORDS = {"with", "that", "this", "from", "they", "their", "them", "then", "what", "were", "into", "more", "than"}


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def _retells(line: str, sentence: str, kit: StoryKit) -> bool:
    """True when most of the line's content words are already in `sentence`."""
    names = {kit.hero.lower(), (kit.friend or "").lower(), kit.who.lower()}
    words = {w for w in _plain(line).split() if len(w) > 3 and w not in _SMALL_WORDS and w not in names}
    if not words:
        return False
    said = set(_plain(sentence).split())
    return len(words & said) / len(words) >= 0.5
