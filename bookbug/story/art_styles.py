"""Art styles: the presets a user picks from, and generated styles.

A preset is authoritative: when the brief names one, it replaces whatever style a model
invents (`enforce_preset`), so every book in "watercolor" looks like watercolor.
`strength` is how strongly the image model should apply the style (0 = a hint, 1 = dominant).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bookbug.story.text_fields import Line

PresetId = Literal[
    "watercolor", "gouache", "cut-paper", "claymation", "chibi", "crayon", "miniature-diorama", "3d-animated"
]


class ArtStyle(BaseModel):
    """One visual style. `preset` is the preset id, or None for a style a model or user made up."""

    preset: PresetId | None = None
    label: Line = Field(min_length=1, max_length=80)
    genre: str = Field(description="e.g. 'classic picture-book illustration'")
    medium: str = Field(description="e.g. 'transparent watercolor on cold-press paper'")
    technique: str = Field(description="e.g. 'soft wet-on-wet washes, visible paper grain'")
    strength: float = Field(ge=0.0, le=1.0, description="how strongly the image model applies the style")


def _preset(preset: PresetId, label: str, genre: str, medium: str, technique: str, strength: float) -> ArtStyle:
    return ArtStyle(preset=preset, label=label, genre=genre, medium=medium, technique=technique, strength=strength)


PRESETS: dict[str, ArtStyle] = {
    style.preset: style  # type: ignore[misc]  # ArtStyle.preset is optional; every built-in style has one
    for style in (
        _preset("watercolor", "Watercolor", "classic picture-book illustration",
                "transparent watercolor on cold-press paper",
                "soft wet-on-wet washes, gentle bleeding edges, visible paper grain, loose ink outlines", 0.8),
        _preset("gouache", "Gouache", "mid-century storybook illustration",
                "opaque gouache paint", "flat matte colour shapes, dry-brush texture, bold simple silhouettes", 0.8),
        _preset("cut-paper", "Cut paper", "collage picture book",
                "layered cut and torn coloured paper", "crisp cut edges, soft drop shadows between layers, paper fibre texture", 0.85),
        _preset("claymation", "Claymation", "stop-motion animation still",
                "hand-sculpted plasticine models on a miniature set",
                "thumbprint texture, rounded chunky forms, soft studio lighting", 0.9),
        _preset("chibi", "Chibi", "cute anime-style illustration",
                "clean digital line art with cel shading",
                "big heads, small bodies, large sparkling eyes, rounded shapes", 0.85),
        _preset("crayon", "Crayon", "child-like crayon drawing",
                "wax crayons on textured paper", "waxy strokes, visible scribble texture, warm uneven fills", 0.8),
        _preset("miniature-diorama", "Miniature diorama", "tilt-shift miniature photography",
                "handmade miniature diorama with felt, wood and paper props",
                "shallow depth of field, tiny handcrafted details, warm practical lights", 0.9),
        _preset("3d-animated", "3D animated", "feature animation film still",
                "3D rendered characters and sets", "soft global illumination, expressive rounded characters, subsurface skin", 0.85),
    )
}

# Plain words people use for each preset (the offline writer reads answers with these).
PRESET_WORDS: dict[str, tuple[str, ...]] = {
    "watercolor": ("watercolor", "watercolour", "water colour", "water color"),
    "gouache": ("gouache",),
    "cut-paper": ("cut-paper", "cut paper", "paper cut", "papercut", "collage"),
    "claymation": ("claymation", "clay", "plasticine", "stop motion", "stop-motion"),
    "chibi": ("chibi", "anime", "manga"),
    "crayon": ("crayon", "crayons"),
    "miniature-diorama": ("miniature-diorama", "miniature diorama", "diorama", "miniature"),
    "3d-animated": ("3d-animated", "3d animated", "3d", "pixar", "animated movie", "cgi"),
}


def get_preset(preset: str) -> ArtStyle:
    try:
        return PRESETS[preset]
    except KeyError:
        raise ValueError(f"unknown art style preset {preset!r}; choose one of: {', '.join(PRESETS)}") from None


def enforce_preset(invented: ArtStyle, chosen: ArtStyle | None) -> ArtStyle:
    """The style to use: a chosen preset always wins over what a model invented."""
    if chosen is not None and chosen.preset is not None:
        return PRESETS[chosen.preset]
    return invented
