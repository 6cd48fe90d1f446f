"""The offline illustrator: deterministic, different per page, consistent characters, right size."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageStat

from bookbug.providers.images import OfflineIllustrator, check_image, get_illustrator, illustrate
from bookbug.providers.images.models import STYLE_IDS, CharacterLook, IllustrationRequest, ReferenceImage, Scene
from bookbug.providers.images.offline.illustrator import OUTPUT_SCALE, output_size
from bookbug.providers.images.offline.looks import look_for
from bookbug.resilience import FatalError
from bookbug.story.formats import FORMATS
from tests.providers_images.conftest import MIA, PIP, page_request

MAGENTA = (224, 33, 138)  # Mia's main colour: nothing in any scene is this colour


async def draw(request: IllustrationRequest) -> bytes:
    return (await illustrate(OfflineIllustrator(), request)).png


def share_near(png: bytes, colour: tuple[int, int, int], distance: int = 60) -> float:
    """Fraction of pixels within `distance` (per channel) of `colour`."""
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((256, 256))
    masks = [band.point(lambda v, c=c: 255 if abs(v - c) <= distance else 0) for band, c in zip(image.split(), colour)]
    both = ImageChops.multiply(ImageChops.multiply(masks[0], masks[1]), masks[2])
    return both.histogram()[255] / (256 * 256)


def test_no_token_selects_the_offline_illustrator() -> None:
    assert get_illustrator().name == "offline"


async def test_same_request_draws_the_same_bytes_on_any_worker() -> None:
    request = page_request(page=3)
    first = OfflineIllustrator()
    prediction_id = await first.start(request)
    # a different instance (another worker, after a restart) finishes from the id alone
    assert (await OfflineIllustrator().finish(prediction_id)).png == (await first.finish(prediction_id)).png


async def test_different_pages_and_seeds_draw_different_pictures() -> None:
    one, two = await draw(page_request(page=1)), await draw(page_request(page=2))
    reseeded = await draw(page_request(page=1, seed=8))
    assert len({one, two, reseeded}) == 3


async def test_a_character_keeps_its_colours_on_every_page_and_its_sheet() -> None:
    forest = page_request(page=1, style="chibi")
    beach = page_request(page=2, style="chibi", scene=Scene(time_of_day="sunset", ground="sand", setting="the beach",
                                                             elements=["sea", "boat"]))
    sheet = page_request(kind="character_sheet", page=0, style="chibi", characters=[MIA])
    without_mia = page_request(page=3, style="chibi", characters=[PIP])
    for request in (forest, beach, sheet):
        assert share_near(await draw(request), MAGENTA) > 0.01, request.kind
    assert share_near(await draw(without_mia), MAGENTA) < 0.001


def test_a_look_depends_only_on_the_character_not_the_page() -> None:
    happy = MIA.model_copy(update={"expression": "happy", "pose": "running"})
    sad = MIA.model_copy(update={"expression": "sad", "pose": "sitting"})
    assert look_for(happy) == look_for(sad)
    assert look_for(MIA).body == "child" and look_for(PIP).body == "dragon"
    assert look_for(MIA).main == MAGENTA
    # characters with no stated colours still differ from each other, and stay themselves
    a, b = CharacterLook(name="Tumble", body="bear"), CharacterLook(name="Bramble", body="bear")
    assert look_for(a) == look_for(CharacterLook(name="Tumble", body="bear"))
    assert look_for(a).accent != look_for(b).accent


@pytest.mark.parametrize("format_name", sorted(FORMATS))
async def test_pictures_have_the_shape_of_their_format(format_name: str) -> None:
    result = await illustrate(OfflineIllustrator(), page_request(kind="character_sheet", characters=[PIP], format_name=format_name))
    bleed_w, bleed_h = FORMATS[format_name].bleed_px
    assert (result.width, result.height) == output_size(format_name) == (round(bleed_w * OUTPUT_SCALE), round(bleed_h * OUTPUT_SCALE))
    assert Image.open(io.BytesIO(result.png)).size == (result.width, result.height)
    assert check_image(result.png, format_name).passed


@pytest.mark.parametrize("style", STYLE_IDS)
async def test_every_style_draws_a_real_picture(style: str) -> None:
    png = await draw(page_request(style=style, scene=Scene(time_of_day="night", sky="snow", setting="a village",
                                                           elements=["houses", "pine trees"])))
    report = check_image(png, "square-large")
    assert report.passed, report.problems
    assert report.details["top_colour_share"] < 0.5


async def test_scene_words_change_the_picture() -> None:
    day = await draw(page_request(scene=Scene(time_of_day="midday", setting="meadow")))
    night = await draw(page_request(scene=Scene(time_of_day="night", setting="meadow")))

    def brightness(png: bytes) -> float:
        return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0]

    assert brightness(night) < brightness(day) - 40


async def test_a_damaged_id_is_a_fatal_error() -> None:
    with pytest.raises(FatalError, match="damaged"):
        await OfflineIllustrator().finish("offline-v1-not-base64!!")
    with pytest.raises(FatalError, match="not an offline"):
        await OfflineIllustrator().finish("replicate-abc")


def test_bad_requests_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="unknown book format"):
        page_request(format_name="a4")
    with pytest.raises(ValueError, match="exactly one character"):
        page_request(kind="character_sheet", characters=[MIA, PIP])
    with pytest.raises(ValueError, match="style"):
        page_request(style="oil-painting")
    with pytest.raises(ValueError, match="at most 14"):
        page_request(references=[ReferenceImage(data=b"x")] * 15)
    with pytest.raises(ValueError, match="exactly one of"):
        ReferenceImage(label="both", data=b"x", key="books/b/x.png")
