"""A small story's parts (its brief, its plot, one page to write) for the text providers' tests."""

from __future__ import annotations

from bookbug.agents import ProsePageInput
from bookbug.story import AgeRange, Brief, Character, PagePlan, Plot, PlotBeat, ProseSetup, VisualDescription, get_preset

HERO = Character(name="Mia", role="hero", visual=VisualDescription(body="girl with curls", colours=["red"]))
BRIEF = Brief(characters=[HERO], age_range=AgeRange(min=2, max=3), story_arc="a lost teddy", setting="a farm",
              art_style=get_preset("crayon"), moral="sharing is caring")
PLOT = Plot(title="Teddy", beats=[PlotBeat(purpose=p, sentence=f"Mia does {p}.") for p in ("setup", "climax", "payoff")])
PAGE_INPUT = ProsePageInput(brief=BRIEF, plot=PLOT, setup=ProseSetup(logline="Mia finds Teddy.", theme="care",
                                                                      style_notes="short and bouncy"),
                            page=PagePlan(page_number=1, beat_number=1, beat=PLOT.beats[0], part=1, parts=1))
