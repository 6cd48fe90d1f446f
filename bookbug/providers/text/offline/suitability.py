"""The offline writer's screening: requests, plot changes and written pages read with the
maintained list (bookbug/safety), answered kindly with close alternatives when declined.

The intake screens between understanding a message and keeping it (`understanding` reads
without changing anything; `briefing` keeps): a declined message changes nothing in the brief.
"""

from __future__ import annotations

import random

from bookbug.agents.intake import IntakeInput, IntakeTurn
from bookbug.agents.plot import PlotReview, PlotReviewInput
from bookbug.agents.review import PageReview, PageReviewInput
from bookbug.providers.text.offline.briefing import hero_of
from bookbug.providers.text.offline.understanding import Understanding
from bookbug.safety import Screening, alternatives, changes, decline_change, decline_request, screen, subject_of
from bookbug.story.brief import Brief


def youngest(brief: Brief, found: Understanding | None = None) -> int | None:
    """The youngest reader, from the message itself ("my son is 7, ...") or the brief."""
    if found is not None and found.ages is not None:
        return found.ages[0]
    return brief.age_range.min if brief.age_range else None


def screen_answer(answer: str, found: Understanding, brief: Brief) -> Screening | None:
    """What the answer asks for that a young child's book leaves out (the raw text and the
    spell-tidied one are both read, so neither a typo fix nor its absence hides a word)."""
    age = youngest(brief, found)
    return screen(answer, youngest=age) or screen(found.text, youngest=age)


def _subject(text: str, found: Understanding | None, brief: Brief) -> str | None:
    subject = subject_of(text)
    if subject is None and found is not None and found.cast.others:
        subject = found.cast.others[0].kind
    if subject is None:
        friend = next((c for c in brief.characters if not c.is_hero), None)
        subject = friend.name if friend is not None else None
    return subject


def declined_turn(input: IntakeInput, screening: Screening, answer: str, found: Understanding) -> IntakeTurn:
    """The brief unchanged, a kind word on what Bookbug leaves out, three close ideas as chips."""
    brief = input.brief.model_copy(deep=True)
    chips = alternatives(screening.concern, _subject(answer, found, brief), words=screening.words,
                         youngest=youngest(brief, found))
    return IntakeTurn(brief=brief, message=decline_request(screening.concern, youngest(brief, found)), chips=chips,
                      done=False, concern=screening.concern)


def declined_review(input: PlotReviewInput, screening: Screening, approval_chip: str) -> PlotReview:
    """The plot and brief unchanged, a kind word, and close changes as chips."""
    brief = input.brief.model_copy(deep=True)
    subject = _subject(input.reply, None, brief) or (hero.name if (hero := hero_of(brief)) else None)
    message = f"{decline_change(screening.concern, youngest(brief))}\n\n{input.plot.outline()}"
    return PlotReview(approved=False, brief=brief, plot=input.plot, message=message,
                      change_chips=changes(screening.concern, subject, words=screening.words,
                                           youngest=youngest(brief)),
                      approval_chip=approval_chip, concern=screening.concern)


def screen_reply(input: PlotReviewInput) -> Screening | None:
    return screen(input.reply, youngest=youngest(input.brief))


def review_page(input: PageReviewInput, rng: random.Random) -> PageReview:
    """The page's words and picture idea read with the list."""
    page, age = input.page, youngest(input.brief)
    found = screen(page.text, youngest=age) or screen(page.image_concept, youngest=age)
    if found is None:
        return PageReview(suitable=True)
    return PageReview(suitable=False, concern=found.concern,
                      advice=f"Leave out \"{found.words}\": tell this part of the story gently, for young children.")
