"""A finished picture is downloaded only from Replicate's delivery hosts, without the API
token, no larger than a cap, and only kept when it is a picture of the shape asked for:
a prediction's output URL is whatever Replicate's answer said, so it is not trusted."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bookbug.providers.images import replicate_illustrator
from bookbug.providers.images.replicate_illustrator import ReplicateIllustrator, _delivery_host_allowed
from bookbug.resilience import FatalError, RetryableError
from bookbug.settings import Settings
from tests.providers_images.conftest import page_request
from tests.standins.replicate import ReplicateStandIn


def illustrator(settings: Settings) -> ReplicateIllustrator:
    return ReplicateIllustrator(settings, poll_interval=0.01)


async def draw(settings: Settings) -> bytes:
    drawer = illustrator(settings)
    return (await drawer.finish(await drawer.start(page_request()))).png


async def test_the_picture_is_fetched_without_the_api_token(replicate_api: ReplicateStandIn,
                                                            replicate_settings: Settings) -> None:
    assert await draw(replicate_settings) == replicate_api.image
    assert len(replicate_api.file_requests) == 1
    assert "authorization" not in replicate_api.file_requests[0]


async def test_an_output_on_a_host_that_is_not_a_delivery_host_is_not_fetched(
        replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    replicate_api.delivery_host = "localhost"  # the same server, under a name nobody allowed
    with pytest.raises(FatalError, match="not a Replicate delivery host"):
        await draw(replicate_settings)
    assert replicate_api.file_requests == []


async def test_a_redirect_elsewhere_is_not_followed(replicate_api: ReplicateStandIn,
                                                    replicate_settings: Settings) -> None:
    replicate_api.redirect_files_to = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(FatalError, match=r"\(302\)"):
        await draw(replicate_settings)


async def test_a_picture_larger_than_the_cap_is_not_downloaded_whole(
        replicate_api: ReplicateStandIn, replicate_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replicate_illustrator, "MAX_IMAGE_BYTES", len(replicate_api.image) - 1)
    with pytest.raises(FatalError, match="larger than"):
        await draw(replicate_settings)


def picture_bytes(size: tuple[int, int], kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 60)).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize(("image", "error", "reason"), [
    (b"<html>not a picture</html>", RetryableError, "not an image"),
    (picture_bytes((900, 300)), FatalError, "not the 1:1 shape"),
    (picture_bytes((40, 40)), FatalError, "not a picture size"),
    (picture_bytes((640, 640), "GIF"), FatalError, "GIF file"),
])
async def test_bytes_that_are_not_a_picture_of_the_shape_asked_for_are_refused(
        replicate_api: ReplicateStandIn, replicate_settings: Settings, image: bytes, error: type[Exception],
        reason: str) -> None:
    replicate_api.image = image
    with pytest.raises(error, match=reason):
        await draw(replicate_settings)


async def test_a_plain_http_url_is_refused_except_on_this_machine(replicate_settings: Settings) -> None:
    drawer = illustrator(replicate_settings.model_copy(update={"replicate_delivery_hosts": ["replicate.delivery"]}))
    with pytest.raises(FatalError, match="not an https URL"):
        await drawer.download_output("p1", "http://replicate.delivery/abc/out.png")


@pytest.mark.parametrize(("host", "allowed"), [
    ("replicate.delivery", True), ("pbxt.replicate.delivery", True), ("a.b.replicate.delivery", True),
    ("evilreplicate.delivery", False), ("replicate.delivery.evil.example", False), ("", False),
    ("169.254.169.254", False),
])
def test_delivery_hosts_match_exactly_or_as_subdomains(host: str, allowed: bool) -> None:
    assert _delivery_host_allowed(host, Settings().replicate_delivery_hosts) is allowed
