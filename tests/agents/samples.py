"""One or more realistic inputs for every agent, built by hand so they do not depend on a writer."""

from __future__ import annotations

from pydantic import BaseModel

from bookbug.agents import (
    Agent, ChatTurn, IllustrationBeatInput, IntakeInput, PageReviewInput, PlotProposalInput, PlotReviewInput,
    ProsePageInput, ProseSetupInput, StyleGuideInput, illustration_beat, intake_turn, page_review, plot_proposal,
    plot_review, prose_page, prose_setup, style_guide,
)
from bookbug.story import (
    AgeRange, Brief, Character, IllustrationBeat, PagePlan, Plot, PlotBeat, ProsePage, ProseSetup, StyleGuide,
    VisualDescription, get_preset,
)

MIA = Character(name="Mia", role="hero", visual=VisualDescription(body="girl with red curls", colours=["red"]))
EMBER = Character(name="Ember", role="friend", description="a small dragon afraid of the dark",
                  visual=VisualDescription(body="small green dragon with round eyes"))


def brief(min_age: int, max_age: int, **fields: object) -> Brief:
    return Brief(characters=[MIA, EMBER], age_range=AgeRange(min=min_age, max=max_age),
                 story_arc="a dragon who is afraid of the dark", setting="an enchanted forest",
                 art_style=get_preset("watercolor"), **fields)


PRESCHOOL = brief(4, 5, moral="being brave")
TODDLER = brief(2, 3, moral="sharing is caring", page_count=8)
EARLY = brief(7, 9)
PLOT = Plot(title="Mia and Ember", beats=[PlotBeat(purpose="setup", sentence="Mia meets Ember in the forest."),
                                          PlotBeat(purpose="climax", sentence="Mia makes a lantern for Ember."),
                                          PlotBeat(purpose="payoff", sentence="Ember smiles at the stars.")])
SETUP = ProseSetup(logline="Mia helps a shy dragon love the night.", theme="courage", style_notes="bouncy, warm")
PLAN = PagePlan(page_number=3, beat_number=2, beat=PLOT.beats[1], part=1, parts=2)
PAGE_TWO = ProsePage(page_number=2, summary="Mia finds Ember", text="Mia found Ember under a fern. He was shaking.",
                     image_concept="Mia kneeling by a fern")
GUIDE = StyleGuide(art_style=get_preset("watercolor"), setting="an enchanted forest", lighting="soft dusk light",
                   colour_script="warm greens to deep blues", mood="cosy")
BEAT_TWO = IllustrationBeat(page_number=2, characters=[{"name": "Mia", "expression": "kind", "pose": "kneeling"}],
                            shot_size="medium", camera_angle="eye level", composition="Mia left, fern right",
                            setting_details="ferns and moss")
CONVERSATION = [ChatTurn(role="assistant", content="Who is the star of the book?", chips=["My daughter", "A dragon"]),
                ChatTurn(role="user", content="Mia, she is 4, and her friend Ember the dragon")]

SAMPLES: list[tuple[Agent, BaseModel]] = [
    (intake_turn, IntakeInput(brief=Brief())),
    (intake_turn, IntakeInput(brief=Brief(characters=[MIA]), conversation=CONVERSATION)),
    (intake_turn, IntakeInput(brief=Brief(characters=[MIA]), conversation=[
        CONVERSATION[0], ChatTurn(role="user", content="a shark who eats people")])),
    (plot_proposal, PlotProposalInput(brief=PRESCHOOL)),
    (plot_review, PlotReviewInput(brief=PRESCHOOL, plot=PLOT, reply="make it funnier")),
    (plot_review, PlotReviewInput(brief=PRESCHOOL, plot=PLOT, reply="make the dragon eat the villagers")),
    (prose_setup, ProseSetupInput(brief=PRESCHOOL, plot=PLOT)),
    (prose_page, ProsePageInput(brief=PRESCHOOL, plot=PLOT, setup=SETUP, page=PLAN, pages_so_far=[PAGE_TWO])),
    (prose_page, ProsePageInput(brief=TODDLER, plot=PLOT, setup=SETUP, page=PLAN)),
    (prose_page, ProsePageInput(brief=EARLY, plot=PLOT, setup=SETUP, page=PLAN)),
    (prose_page, ProsePageInput(brief=PRESCHOOL, plot=PLOT, setup=SETUP, page=PLAN,
                                review_note="Leave out the blood: tell this part gently.")),
    (page_review, PageReviewInput(brief=PRESCHOOL, page=PAGE_TWO)),
    (page_review, PageReviewInput(brief=TODDLER, page=PAGE_TWO)),
    (style_guide, StyleGuideInput(brief=PRESCHOOL, plot=PLOT, setup=SETUP)),
    (style_guide, StyleGuideInput(brief=PRESCHOOL.model_copy(update={"art_style": None}), plot=PLOT, setup=SETUP)),
    (illustration_beat, IllustrationBeatInput(brief=PRESCHOOL, style_guide=GUIDE, plan=PLAN, page=PAGE_TWO.model_copy(
        update={"page_number": 3}), previous_beat=BEAT_TWO)),
]
