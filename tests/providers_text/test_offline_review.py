import pytest

from bookbug.agents import PlotProposalInput, PlotReviewInput, plot_proposal, plot_review
from bookbug.providers.text.offline import OfflineWriter
from bookbug.providers.text.offline.plotting import APPROVAL_CHIP
from bookbug.story import BeatPurpose

from tests.providers_text.helpers import converse

SCRIPT = ["My daughter Mia", "she's 4", "a grumpy dragon who is afraid of the dark", "An enchanted forest",
          "watercolor", "Being brave", "Cozy and gentle", "Dinosaurs", "16 pages", "Square 8.5 in"]


@pytest.fixture
def proposed():
    writer = OfflineWriter()
    brief = converse(writer, SCRIPT)[0][-1].brief
    return writer, brief, writer.run(plot_proposal, PlotProposalInput(brief=brief)).output


def _review(writer, brief, plot, reply):
    return writer.run(plot_review, PlotReviewInput(brief=brief, plot=plot, reply=reply)).output


def test_the_proposal_tells_the_story_in_proper_beats_with_the_approval_chip_last(proposed):
    _, brief, proposal = proposed
    purposes = [beat.purpose for beat in proposal.plot.beats]
    assert purposes == list(BeatPurpose)  # 16 pages: all seven story functions, in order
    assert proposal.chips[-1] == APPROVAL_CHIP and 3 <= len(proposal.chips) <= 5
    text = " ".join(beat.sentence for beat in proposal.plot.beats)
    assert "Mia" in text and "afraid of the dark" in text and "the enchanted forest" in text
    climax = next(b for b in proposal.plot.beats if b.purpose is BeatPurpose.climax)
    assert "Mia" in climax.sentence  # the child solves it
    assert proposal.plot.outline() in proposal.message


@pytest.mark.parametrize("reply", ["Yes!", "Looks great, write it", APPROVAL_CHIP, "love it"])
def test_an_approval_keeps_the_plot_and_says_so(proposed, reply):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, reply)
    assert review.approved
    assert review.plot == proposal.plot and review.brief == brief


def test_yes_but_with_a_change_is_not_an_approval(proposed):
    writer, brief, proposal = proposed
    assert not _review(writer, brief, proposal.plot, "Yes, but make the dragon friendly").approved


def test_make_the_dragon_friendly_changes_the_dragon_and_the_plot(proposed):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, "make the dragon friendly")
    assert not review.approved
    dragon = next(c for c in review.brief.characters if "dragon" in c.description)
    assert dragon.traits[0] == "friendly" and "grumpy" not in dragon.traits
    assert "grumpy" not in dragon.description
    assert any("friendly" in beat.sentence for beat in review.plot.beats)
    assert not any("grumpy" in beat.sentence for beat in review.plot.beats)
    assert review.chips[-1] == APPROVAL_CHIP and "look" in review.message


def test_change_beat_3_rewrites_only_beat_3(proposed):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, "change beat 3")
    old, new = proposal.plot.beats, review.plot.beats
    assert not review.approved
    assert new[2].sentence != old[2].sentence and new[2].purpose == old[2].purpose
    assert new[:2] == old[:2] and new[3:] == old[3:]


def test_change_beat_3_to_the_parents_words_uses_them_and_keeps_them_through_later_changes(proposed):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, "Change beat 3 to: Ember hides inside a hollow log")
    assert review.plot.beats[2].sentence == "Ember hides inside a hollow log."
    again = _review(writer, review.brief, review.plot, "make it funnier")
    assert again.brief.tone == "funny and silly"
    assert again.plot.beats[2].sentence == "Ember hides inside a hollow log."
    assert again.plot.beats[-1].sentence != review.plot.beats[-1].sentence  # the ending got sillier


def test_a_beat_that_does_not_exist_is_explained(proposed):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, "change beat 12")
    assert not review.approved and review.plot == proposal.plot
    assert "There is no beat 12" in review.message


def test_an_added_moment_becomes_a_beat(proposed):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, "add a picnic by the river")
    assert "A picnic by the river." in [beat.sentence for beat in review.plot.beats]
    assert review.brief.plot_beats == ["a picnic by the river"]


def test_any_other_note_is_kept_and_the_plot_reworked(proposed):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, "Grandpa should be in the story too")
    assert not review.approved
    assert "Grandpa should be in the story too" in (review.brief.custom_instructions or "")


@pytest.mark.parametrize(("reply", "pages"), [("make it 8 pages", 8), ("can it be shorter?", 12), ("longer please", 20)])
def test_a_length_change_resizes_the_book(proposed, reply, pages):
    writer, brief, proposal = proposed
    review = _review(writer, brief, proposal.plot, reply)
    assert not review.approved and review.brief.pages == pages
    assert f"{pages} pages" in review.message
