"""The story domain: brief, characters, art styles, plot, prose, art direction and book norms."""

from bookbug.story.art_direction import CharacterInFrame, IllustrationBeat, StyleGuide
from bookbug.story.art_styles import PRESETS, ArtStyle, enforce_preset, get_preset
from bookbug.story.brief import FIELD_NEEDS, Brief, Need
from bookbug.story.characters import Character, VisualDescription
from bookbug.story.formats import DEFAULT_FORMAT, FORMATS, get_format
from bookbug.story.page_count import padded_page_count
from bookbug.story.plot import BeatPurpose, PagePlan, Plot, PlotBeat, page_plan
from bookbug.story.prose import Manuscript, ProsePage, ProseSetup, manuscript_problems
from bookbug.story.reading_level import AgeRange, TextLimits, limits_for

__all__ = [
    "AgeRange", "ArtStyle", "BeatPurpose", "Brief", "Character", "CharacterInFrame", "DEFAULT_FORMAT", "FIELD_NEEDS",
    "FORMATS", "IllustrationBeat", "Manuscript", "Need", "PRESETS", "PagePlan", "Plot", "PlotBeat", "ProsePage",
    "ProseSetup", "StyleGuide", "TextLimits", "VisualDescription", "enforce_preset", "get_format", "get_preset",
    "limits_for", "manuscript_problems", "padded_page_count", "page_plan",
]
