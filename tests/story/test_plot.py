import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bookbug.story import BeatPurpose, Plot, PlotBeat, page_plan


def _plot(purposes: list[BeatPurpose]) -> Plot:
    return Plot(title="Test", beats=[PlotBeat(purpose=p, sentence=f"Beat {i} happens.") for i, p in enumerate(purposes)])


def test_a_plot_needs_at_least_three_beats():
    with pytest.raises(ValidationError):
        _plot([BeatPurpose.setup, BeatPurpose.climax])


def test_a_beat_is_one_sentence():
    with pytest.raises(ValidationError, match="one sentence"):
        PlotBeat(purpose="setup", sentence="Mia wakes up. She yawns.")


def test_beat_purposes_are_the_seven_story_functions():
    assert [p.value for p in BeatPurpose] == ["setup", "build", "conflict", "twist", "climax", "payoff", "button"]


@given(beats=st.lists(st.sampled_from(list(BeatPurpose)), min_size=3, max_size=8), pages=st.integers(8, 32))
def test_every_page_gets_a_beat_and_every_beat_a_page_in_story_order(beats, pages):
    plan = page_plan(_plot(beats), pages)
    assert [p.page_number for p in plan] == list(range(1, pages + 1))
    assert sorted({p.beat_number for p in plan}) == list(range(1, len(beats) + 1))
    assert [p.beat_number for p in plan] == sorted(p.beat_number for p in plan)
    for page in plan:
        assert 1 <= page.part <= page.parts


def test_middle_beats_get_the_spare_pages_first():
    plan = page_plan(_plot([BeatPurpose.setup, BeatPurpose.build, BeatPurpose.payoff]), 4)
    assert [p.beat.purpose for p in plan].count(BeatPurpose.build) == 2


def test_more_beats_than_pages_is_refused():
    beats = [BeatPurpose.build] * 8
    with pytest.raises(ValueError, match="do not fit"):
        page_plan(_plot(beats), 7)
