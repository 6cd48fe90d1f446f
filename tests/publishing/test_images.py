"""Fitting pictures to the bleed box: crop to shape, LANCZOS to size, flatten onto white."""

from __future__ import annotations

import io

from PIL import Image

from bookbug.publishing import pixels_for, prepare_page_image
from bookbug.publishing.images import fit_to_box
from tests.providers_images.conftest import picture_png


def test_small_picture_is_enlarged_to_exactly_the_box_and_says_so() -> None:
    prepared = fit_to_box(picture_png((1024, 1024)), (2625, 2625))
    image = Image.open(io.BytesIO(prepared.jpeg))
    assert image.format == "JPEG" and image.size == (2625, 2625)
    assert prepared.upscaled and prepared.scale == round(2625 / 1024, 4)
    assert prepared.metadata() == {
        "width": 2625, "height": 2625, "source_width": 1024, "source_height": 1024,
        "scale": round(2625 / 1024, 4), "resample": "LANCZOS", "upscaled": True,
    }


def test_a_wider_picture_is_centre_cropped_not_squashed() -> None:
    source = Image.new("RGB", (1200, 600), (255, 0, 0))
    source.paste((0, 0, 255), (300, 0, 900, 600))  # blue middle square, red side bands
    buffer = io.BytesIO()
    source.save(buffer, format="PNG")
    prepared = fit_to_box(buffer.getvalue(), (600, 600))
    image = Image.open(io.BytesIO(prepared.jpeg)).convert("RGB")
    for point in ((5, 5), (594, 300), (300, 594)):
        red, green, blue = image.getpixel(point)
        assert blue > 200 and red < 60, point  # only the middle survives
    assert not prepared.upscaled


def test_transparent_pictures_are_flattened_onto_white() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 400), (0, 0, 0, 0)).save(buffer, format="PNG")
    image = Image.open(io.BytesIO(fit_to_box(buffer.getvalue(), (400, 400)).jpeg)).convert("RGB")
    assert min(image.getpixel((200, 200))) > 245


def test_a_page_prepared_when_drawn_passes_through_untouched() -> None:
    prepared = prepare_page_image(picture_png((1050, 1050)), "square-large")
    assert (prepared.width, prepared.height) == pixels_for("square-large") == (2625, 2625)
    assert prepared.upscaled and prepared.resample == "LANCZOS"
    again = fit_to_box(prepared.jpeg, (2625, 2625), quality=92)
    assert again.jpeg is prepared.jpeg and not again.upscaled
    # the same JPEG for a different page size is resampled, not passed through
    assert fit_to_box(prepared.jpeg, (2325, 2325)).width == 2325


def test_screen_pictures_are_150_dpi() -> None:
    prepared = prepare_page_image(picture_png((1050, 1050)), "portrait-small", "screen")
    assert (prepared.width, prepared.height) == (round(6.25 * 150), round(9.25 * 150))
