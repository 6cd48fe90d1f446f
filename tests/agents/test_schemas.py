import pytest
from pydantic import ValidationError

from bookbug.agents import (
    ALL_AGENTS, IntakeInput, IntakeTurn, PlotProposal, PlotProposalInput, ProsePageInput, intake_turn, plot_proposal,
    prose_page,
)
from bookbug.agents.chips import check_chips
from bookbug.story import (
    AgeRange, Brief, Character, PagePlan, Plot, PlotBeat, ProsePage, ProseSetup, VisualDescription, get_preset,
)

HERO = Character(name="Mia", role="hero", visual=VisualDescription(body="girl with curls"))
COMPLETE = Brief(characters=[HERO], age_range=AgeRange(min=4, max=5), story_arc="a dragon who is afraid of the dark",
                 setting="an enchanted forest", art_style=get_preset("watercolor"), moral="being brave")
PLOT = Plot(title="Mia and Ember", beats=[PlotBeat(purpose="setup", sentence="Mia lives in the forest."),
                                          PlotBeat(purpose="climax", sentence="Mia makes a lantern."),
                                          PlotBeat(purpose="payoff", sentence="Ember smiles at the stars.")])


@pytest.mark.parametrize("catch_all", ["Other", "None", "other...", "None of these", "Something else"])
def test_chips_never_offer_a_catch_all(catch_all: str):
    with pytest.raises(ValueError, match="catch-all"):
        check_chips(["Dragons", "Dinosaurs", catch_all])


@pytest.mark.parametrize("chips", [["One", "Two"], ["A", "a", "B"], ["A", " ", "B"], ["A", "B", "Other"]])
def test_chips_are_refused_when_fewer_than_three_real_distinct_ones_are_left(chips: list[str]):
    with pytest.raises(ValueError):
        check_chips(chips)


@pytest.mark.parametrize(("chips", "tidied"), [
    (["1", "2", "3", "4", "5", "6"], ["1", "2", "3", "4", "5"]),
    (["Dragons", " dragons ", "Dinosaurs", "Other", "Space  rockets"], ["Dragons", "Dinosaurs", "Space rockets"]),
    (["A", "", "B", "C"], ["A", "B", "C"]),
])
def test_surplus_repeated_blank_and_catch_all_chips_are_dropped_not_refused(chips: list[str], tidied: list[str]):
    assert check_chips(chips) == tidied


def test_the_intake_cannot_finish_before_every_required_field_is_filled():
    with pytest.raises(ValidationError, match="still misses: age_range"):
        IntakeTurn(brief=Brief(characters=[HERO]), message="All done!", chips=[], done=True)
    assert IntakeTurn(brief=COMPLETE, message="All done!", chips=[], done=True).done


def test_an_intake_question_comes_with_chips():
    with pytest.raises(ValidationError, match="3-5 chips"):
        IntakeTurn(brief=Brief(), message="Who is the hero?", chips=[], done=False)


def test_the_approval_chip_is_always_the_last_chip():
    proposal = PlotProposal(plot=PLOT, message="Here it is", change_chips=["Make it funnier", "Change beat 2"],
                            approval_chip="Write it!")
    assert proposal.chips == ["Make it funnier", "Change beat 2", "Write it!"]
    with pytest.raises(ValidationError):
        PlotProposal(plot=PLOT, message="x", change_chips=["Other", "Change beat 2"], approval_chip="Write it!")


def test_agents_have_distinct_tool_names_and_refuse_the_wrong_input():
    names = [agent.name for agent in ALL_AGENTS]
    assert len(set(names)) == len(names) and all(name.isidentifier() for name in names)
    with pytest.raises(TypeError, match="takes IntakeInput"):
        intake_turn.prompt(PlotProposalInput(brief=COMPLETE))


def test_the_intake_prompt_shows_the_brief_what_is_left_and_the_conversation():
    prompt = intake_turn.prompt(IntakeInput(brief=Brief(characters=[HERO]), conversation=[
        {"role": "assistant", "content": "Who is the star?"}, {"role": "user", "content": "Mia"}]))
    assert '"name": "Mia"' in prompt and "Still to ask (in order): age_range" in prompt and "user: Mia" in prompt
    assert "Other" in intake_turn.system and "surprise me" in intake_turn.system


def test_the_page_prompt_keeps_everything_written_so_far_in_view():
    plan = PagePlan(page_number=2, beat_number=1, beat=PLOT.beats[0], part=2, parts=2)
    setup = ProseSetup(logline="Mia helps Ember.", theme="courage", style_notes="bouncy")
    earlier = ProsePage(page_number=1, summary="Mia at home", text="Mia lived in the forest with her cat.", image_concept="Mia and her cat")
    prompt = prose_page.prompt(ProsePageInput(brief=COMPLETE, plot=PLOT, setup=setup, page=plan, pages_so_far=[earlier]))
    assert "Page 1: Mia lived in the forest with her cat." in prompt
    assert "Write page 2 of 24" in prompt and "2-3 sentences and 20-40 words" in prompt
    assert "never state" in prompt.lower() and "being brave" in prompt


def test_the_plot_prompt_carries_the_page_count_and_the_rules():
    prompt = plot_proposal.prompt(PlotProposalInput(brief=COMPLETE))
    assert "24 pages" in prompt
    assert "own actions" in plot_proposal.system


def test_page_replies_are_parsed_with_the_book_rules():
    plan = PagePlan(page_number=1, beat_number=1, beat=PLOT.beats[0], part=1, parts=1)
    setup = ProseSetup(logline="Mia helps Ember.", theme="courage", style_notes="bouncy")
    input = ProsePageInput(brief=COMPLETE, plot=PLOT, setup=setup, page=plan)
    reply = {"page_number": 1, "summary": "Mia runs", "text": "Mia ran.", "image_concept": "Mia running"}
    with pytest.raises(ValidationError, match="ages 4-6 need 20-40"):
        prose_page.parse(reply, input)


@pytest.mark.parametrize("agent", ALL_AGENTS, ids=lambda agent: agent.name)
def test_every_agent_offers_its_output_schema_as_a_json_object_tool(agent):
    schema = agent.output_type.model_json_schema()
    assert schema["type"] == "object" and schema["properties"]
    assert agent.system.strip() and agent.description.strip()
