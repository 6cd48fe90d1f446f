"""The offline writer writes English only, and says so when asked for another language."""

from __future__ import annotations

import asyncio

import pytest

from bookbug.agents import IntakeInput, intake_turn
from bookbug.agents.base import ChatTurn
from bookbug.providers.text.offline import OfflineWriter
from bookbug.providers.text.offline.languages import ENGLISH_ONLY, asked_language
from bookbug.story import Brief


def answer(text: str):  # type: ignore[no-untyped-def]
    first = asyncio.run(OfflineWriter(seed=1).generate(intake_turn, IntakeInput(brief=Brief()))).output
    conversation = [ChatTurn(role="assistant", content=first.message, chips=first.chips),
                    ChatTurn(role="user", content=text)]
    return asyncio.run(OfflineWriter(seed=1).generate(intake_turn, IntakeInput(brief=first.brief,
                                                                               conversation=conversation))).output


@pytest.mark.parametrize("text", ["Can you write it in Spanish? Her name is Mia and she is 5",
                                  "en español por favor", "Напиши книгу на русском", "Γράψε το στα ελληνικά",
                                  "a Russian version please"])
def test_asked_for_another_language_it_says_it_writes_english(text: str) -> None:
    turn = answer(text)
    assert turn.message.startswith(ENGLISH_ONLY) and turn.chips
    assert turn.brief.language is None


@pytest.mark.parametrize("text", ["Her name is Mia and she is 5", "a French chef who loves cake",
                                  "the Greek islands", "Mia, age 5"])
def test_characters_and_places_from_elsewhere_are_no_request_for_a_language(text: str) -> None:
    assert asked_language(text) is None
    assert not answer(text).message.startswith(ENGLISH_ONLY)
