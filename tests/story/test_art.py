import pytest
from pydantic import ValidationError

from bookbug.story import PRESETS, IllustrationBeat, StyleGuide, get_preset
from bookbug.story.art_direction import BASE_AVOID
from bookbug.story.art_styles import ArtStyle, enforce_preset


def test_the_eight_presets_each_have_genre_medium_technique_and_strength():
    assert list(PRESETS) == ["watercolor", "gouache", "cut-paper", "claymation", "chibi", "crayon",
                             "miniature-diorama", "3d-animated"]
    for preset_id, style in PRESETS.items():
        assert style.preset == preset_id
        assert style.genre and style.medium and style.technique
        assert 0 < style.strength <= 1


def test_an_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="watercolor"):
        get_preset("oil")


INVENTED = ArtStyle(label="Neon", genre="cyberpunk", medium="neon paint", technique="glow", strength=1.0)


def test_a_chosen_preset_replaces_the_style_a_model_invents():
    assert enforce_preset(INVENTED, get_preset("crayon")) == get_preset("crayon")
    assert enforce_preset(INVENTED, None) == INVENTED
    assert enforce_preset(INVENTED, INVENTED) == INVENTED  # a generated style stays the model's own


def _guide(**context) -> StyleGuide:
    data = {"art_style": INVENTED.model_dump(), "setting": "a seaside town", "lighting": "morning sun",
            "colour_script": "warm to cool to gold", "mood": "cozy", "avoid": ["rain"]}
    return StyleGuide.model_validate(data, context=context)


def test_style_guide_validation_applies_the_brief_preset_and_the_safety_list():
    guide = _guide(art_style=get_preset("gouache"))
    assert guide.art_style == get_preset("gouache")
    assert guide.avoid[0] == "rain" and set(BASE_AVOID) <= set(guide.avoid)


def test_illustration_beats_only_draw_characters_of_the_brief():
    beat = {"page_number": 2, "characters": [{"name": "Grog", "expression": "angry", "pose": "lurking"}],
            "shot_size": "wide", "camera_angle": "eye level", "composition": "centre", "setting_details": "forest"}
    with pytest.raises(ValidationError, match="unknown characters"):
        IllustrationBeat.model_validate(beat, context={"character_names": ["Mia", "Ember"]})
    beat["characters"][0]["name"] = "ember"
    assert IllustrationBeat.model_validate(beat, context={"character_names": ["Mia", "Ember"]}).page_number == 2


def test_a_pages_picture_is_described_by_its_image_concept_without_the_art_direction():
    from bookbug.story.art_direction import COMPOSITION_LEAD, OWNER_WISH_LEAD, picture_description

    concept = "Mia and Grandpa Joe push the little boat into the lake. Biscuit barks."
    direction = f"{COMPOSITION_LEAD} boat centre left. Shot: wide, eye level. Style: watercolor."
    assert picture_description(f"{concept} {direction}") == concept
    assert picture_description(f"{concept} {OWNER_WISH_LEAD} make Mia laugh. {direction}") == concept
    assert picture_description(None) == picture_description("") == ""
