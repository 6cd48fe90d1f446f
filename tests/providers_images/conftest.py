"""Pictures and requests shared by the image-provider tests."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw

from bookbug.providers.images.models import CharacterLook, IllustrationRequest, Scene
from bookbug.settings import Settings, reset_settings
from tests.standins.replicate import TOKEN, ReplicateStandIn


def picture_png(size: tuple[int, int] = (640, 640), colour: tuple[int, int, int] = (200, 120, 60)) -> bytes:
    """A small non-uniform PNG: what a model would answer with."""
    image = Image.new("RGB", size, (90, 160, 220))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] * 0.2, size[1] * 0.3, size[0] * 0.7, size[1] * 0.9), fill=colour)
    draw.rectangle((0, size[1] * 0.75, size[0], size[1]), fill=(100, 180, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


MIA = CharacterLook(name="Mia", body="girl", colours=["#e0218a", "navy"], clothing="dress",
                    description="curly black hair, brown skin", props=["lantern"])
PIP = CharacterLook(name="Pip", body="dragon", colours=["#6bbf59", "orange"], description="a small friendly dragon")


def page_request(page: int = 1, **changes: object) -> IllustrationRequest:
    base: dict[str, object] = dict(
        kind="page", book_id="book-1", page=page, seed=7,
        prompt="Mia meets Pip under the old oak tree.",
        scene=Scene(time_of_day="morning", sky="clear", ground="grass", setting="the enchanted forest",
                    elements=["oak trees", "flowers"]),
        characters=[MIA, PIP], style="watercolor", format_name="square-large",
    )
    base.update(changes)
    return IllustrationRequest.model_validate(base)


@pytest.fixture
def replicate_api() -> Iterator[ReplicateStandIn]:
    with ReplicateStandIn(image=picture_png()) as api:
        yield api


@pytest.fixture
def replicate_settings(replicate_api: ReplicateStandIn, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    monkeypatch.setenv("REPLICATE_BASE_URL", replicate_api.base_url)
    monkeypatch.setenv("REPLICATE_DELIVERY_HOSTS", "127.0.0.1")  # the stand-in delivers its files itself
    monkeypatch.setenv("REPLICATE_REFERENCE_MODEL", "google/nano-banana-pro")
    monkeypatch.setenv("REPLICATE_PROMPT_MODEL", "google/imagen-4")
    reset_settings()
    from bookbug.settings import get_settings

    return get_settings()
