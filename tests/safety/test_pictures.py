"""Pictures carry the age band's limits: in the art direction's avoid list, whoever wrote it, and
in every page's image prompt, whatever the style guide says."""

from __future__ import annotations

import pytest

from bookbug.agents import PlotProposalInput, ProseSetupInput, StyleGuideInput, plot_proposal, prose_setup, style_guide
from bookbug.providers.text.offline import OfflineWriter
from bookbug.safety import picture_limits
from bookbug.story import (
    AgeRange, Brief, Character, IllustrationBeat, ProsePage, StyleGuide, VisualDescription, get_preset,
)
from bookbug.workflows.drawing import page_request

HERO = Character(name="Noor", role="hero", visual=VisualDescription(body="girl with a yellow raincoat"))


def brief(youngest: int) -> Brief:
    return Brief(characters=[HERO], age_range=AgeRange(min=youngest, max=youngest + 1), story_arc="Noor flies a kite",
                 setting="a windy hill", art_style=get_preset("watercolor"))


@pytest.mark.parametrize("youngest", [2, 4, 7])
def test_the_style_guide_avoids_what_the_age_band_leaves_out(youngest: int) -> None:
    writer = OfflineWriter()
    story = brief(youngest)
    plot = writer.run(plot_proposal, PlotProposalInput(brief=story)).output.plot
    setup = writer.run(prose_setup, ProseSetupInput(brief=story, plot=plot)).output
    input = StyleGuideInput(brief=story, plot=plot, setup=setup)
    guide = writer.run(style_guide, input).output
    assert set(picture_limits(youngest)) <= set(guide.avoid)
    assert "the pictures must also avoid" in style_guide.prompt(input)
    # a model that forgets them gets them back from the schema's own repair
    bare = guide.model_dump(mode="json") | {"avoid": []}
    assert set(picture_limits(youngest)) <= set(style_guide.parse(bare, input).avoid)


@pytest.mark.parametrize("youngest", [2, 4, 7])
def test_every_page_prompt_names_the_readers_and_their_limits_even_with_an_old_style_guide(youngest: int) -> None:
    old_guide = StyleGuide(art_style=get_preset("watercolor"), setting="a hill", lighting="soft", colour_script="warm",
                           mood="calm", avoid=["text in the picture"])
    beat = {"page_number": 1, "characters": [{"name": "Noor", "expression": "happy", "pose": "running"}],
            "shot_size": "wide", "camera_angle": "eye level", "composition": "Noor left", "setting_details": "kites"}
    page = {"page_number": 1, "summary": "Noor runs", "text": "Noor ran up the hill.", "image_concept": "Noor running"}
    request = page_request("book", brief(youngest), old_guide, IllustrationBeat.model_validate(beat),
                           ProsePage.model_validate(page), []).model_dump(mode="json")
    assert f"For children aged {youngest}-{youngest + 1}." in request["prompt"]
    for limit in picture_limits(youngest):
        assert limit in request["prompt"]
    if youngest >= 6:
        assert "a child alone or lost" not in request["prompt"]
