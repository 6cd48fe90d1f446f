"""The Replicate illustrator through the real replicate SDK against the scripted stand-in."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from replicate.helpers import FileOutput, transform_output

from bookbug.providers.images import get_illustrator
from bookbug.providers.images.models import ReferenceImage
from bookbug.providers.images.prompts import NO_TEXT
from bookbug.providers.images.replicate_illustrator import ReplicateIllustrator
from bookbug.resilience import FatalError, RetryableError, classify
from bookbug.settings import Settings
from tests.providers_images.conftest import MIA, page_request, picture_png
from tests.standins.replicate import ReplicateStandIn


def illustrator(settings: Settings, **options: object) -> ReplicateIllustrator:
    return ReplicateIllustrator(settings, poll_interval=0.01, **options)  # type: ignore[arg-type]


async def test_token_selects_the_replicate_illustrator(replicate_settings: Settings) -> None:
    assert get_illustrator(replicate_settings).name == "replicate"


async def test_prompt_only_page_succeeds_with_a_url_output(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    drawer = illustrator(replicate_settings)
    prediction_id = await drawer.start(page_request())
    result = await drawer.finish(prediction_id)

    assert result.png == replicate_api.image
    assert (result.width, result.height) == (640, 640)
    assert result.model == "google/imagen-4"
    assert result.prediction_id == prediction_id
    assert replicate_api.creations == 1
    sent = replicate_api.inputs[0]
    assert replicate_api.models == ["google/imagen-4"]
    assert sent["aspect_ratio"] == "1:1"
    assert "image_input" not in sent and "seed" not in sent
    assert NO_TEXT in sent["prompt"]
    assert "Mia" in sent["prompt"] and "watercolour" in sent["prompt"]


async def test_list_output_is_downloaded_too(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    replicate_api.output_shape = "list"
    drawer = illustrator(replicate_settings)
    result = await drawer.finish(await drawer.start(page_request()))
    assert result.png == replicate_api.image


async def test_file_output_objects_are_downloaded(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    drawer = illustrator(replicate_settings)
    prediction_id = await drawer.start(page_request())
    await drawer.finish(prediction_id)  # completes it, so the file exists
    url = f"{replicate_api.base_url}/files/{prediction_id}.png"
    file_output = FileOutput(url, drawer._client)  # what replicate.run hands back for a URL
    assert await drawer.download_output(prediction_id, file_output) == replicate_api.image
    assert await drawer.download_output(prediction_id, [file_output]) == replicate_api.image
    # models that answer inline: the SDK turns a data URI into a FileOutput as well
    inline = transform_output("data:image/png;base64," + base64.b64encode(replicate_api.image).decode(), drawer._client)
    assert isinstance(inline, FileOutput)
    assert await drawer.download_output(prediction_id, inline) == replicate_api.image


async def test_jpeg_outputs_come_back_as_png(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(picture_png((400, 300)))).save(buffer, format="JPEG")
    replicate_api.image = buffer.getvalue()
    drawer = illustrator(replicate_settings)
    result = await drawer.finish(await drawer.start(page_request(format_name="landscape")))
    assert result.png.startswith(b"\x89PNG") and (result.width, result.height) == (400, 300)


async def test_references_go_to_the_reference_model_as_data_uris(
    replicate_api: ReplicateStandIn, replicate_settings: Settings
) -> None:
    stored = {"books/book-1/sheets/pip.png": picture_png((1600, 900))}
    replicate_api.image = picture_png((640, 960))  # the 2:3 picture a portrait book asks for
    drawer = illustrator(replicate_settings, read_stored=stored.__getitem__)
    request = page_request(
        format_name="portrait-small",
        references=[ReferenceImage(label="character sheet: Mia", data=picture_png()),
                    ReferenceImage(label="character sheet: Pip", key="books/book-1/sheets/pip.png")],
    )
    await drawer.finish(await drawer.start(request))

    sent = replicate_api.inputs[0]
    assert replicate_api.models == ["google/nano-banana-pro"]
    assert sent["aspect_ratio"] == "2:3"
    assert len(sent["image_input"]) == 2
    for uri in sent["image_input"]:
        assert uri.startswith("data:image/jpeg;base64,")
        image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
        assert max(image.size) <= 1024
    assert "character sheet: Mia" in sent["prompt"]


async def test_prompt_model_gets_the_nearest_ratio_it_supports(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    drawer = illustrator(replicate_settings)
    await drawer.start(page_request(format_name="portrait-small"))  # 2:3, which Imagen lacks
    assert replicate_api.inputs[0]["aspect_ratio"] == "3:4"


async def test_character_sheet_prompt_asks_for_four_views(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    drawer = illustrator(replicate_settings)
    await drawer.start(page_request(kind="character_sheet", page=0, characters=[MIA]))
    prompt = replicate_api.inputs[0]["prompt"]
    assert all(view in prompt for view in ("front", "three-quarter", "side", "back", "plain white background"))
    assert NO_TEXT in prompt


async def test_failed_prediction_is_a_fatal_error_with_its_reason(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    replicate_api.outcome = "fail"
    replicate_api.error = "E005: the input was flagged as sensitive"
    drawer = illustrator(replicate_settings)
    prediction_id = await drawer.start(page_request())
    with pytest.raises(FatalError, match="flagged as sensitive") as caught:
        await drawer.finish(prediction_id)
    assert prediction_id in str(caught.value)
    verdict = classify(caught.value)
    assert not verdict.retryable and "flagged as sensitive" in verdict.reason


async def test_throttled_creation_is_retryable_with_the_servers_delay(
    replicate_api: ReplicateStandIn, replicate_settings: Settings
) -> None:
    replicate_api.throttle_creates(1, retry_after=7)
    drawer = illustrator(replicate_settings)
    with pytest.raises(RetryableError) as caught:
        await drawer.start(page_request())
    verdict = classify(caught.value)
    assert verdict.retryable and verdict.retry_after == 7 and verdict.status == 429
    assert replicate_api.creations == 0  # the SDK did not retry the POST behind our back

    # the engine's retry: a second start succeeds and creates exactly one prediction
    result = await drawer.finish(await drawer.start(page_request()))
    assert result.png == replicate_api.image
    assert replicate_api.creations == 1


async def test_a_fresh_worker_resumes_the_prediction_without_paying_again(
    replicate_api: ReplicateStandIn, replicate_settings: Settings
) -> None:
    replicate_api.polls_before_done = 3
    prediction_id = await illustrator(replicate_settings).start(page_request())
    # the first worker dies here, after the id was checkpointed; another one picks it up
    result = await illustrator(replicate_settings).finish(prediction_id)
    assert result.png == replicate_api.image
    assert replicate_api.creations == 1
    assert replicate_api.polls[prediction_id] >= 3


async def test_a_slow_prediction_is_retryable_and_keeps_its_id(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    replicate_api.polls_before_done = 10_000
    drawer = illustrator(replicate_settings, max_wait_seconds=0.05)
    prediction_id = await drawer.start(page_request())
    with pytest.raises(RetryableError, match="still processing"):
        await drawer.finish(prediction_id)
    replicate_api.polls_before_done = 0
    assert (await drawer.finish(prediction_id)).png == replicate_api.image
    assert replicate_api.creations == 1


async def test_bad_token_is_fatal(replicate_api: ReplicateStandIn, replicate_settings: Settings) -> None:
    drawer = illustrator(replicate_settings.model_copy(update={"replicate_api_token": "r8_wrong"}))
    with pytest.raises(FatalError, match="Invalid token") as caught:
        await drawer.start(page_request())
    assert not classify(caught.value).retryable
    assert replicate_api.creations == 0


async def test_unknown_prediction_is_fatal(replicate_settings: Settings) -> None:
    with pytest.raises(FatalError, match="could not find prediction"):
        await illustrator(replicate_settings).finish("no-such-prediction")


async def test_unreachable_replicate_is_retryable(replicate_settings: Settings) -> None:
    drawer = illustrator(replicate_settings.model_copy(update={"replicate_base_url": "http://127.0.0.1:9"}))
    with pytest.raises(RetryableError, match="could not reach Replicate"):
        await drawer.start(page_request())


def test_missing_token_is_a_clear_error() -> None:
    with pytest.raises(FatalError, match="REPLICATE_API_TOKEN"):
        ReplicateIllustrator(Settings(replicate_api_token=""))


async def test_a_missing_stored_reference_is_fatal_and_nothing_is_created(
    replicate_api: ReplicateStandIn, replicate_settings: Settings
) -> None:
    from bookbug.providers.storage import FileMissing

    def read_stored(key: str) -> bytes:
        raise FileMissing(key)

    drawer = illustrator(replicate_settings, read_stored=read_stored)
    with pytest.raises(FatalError, match="not in storage"):
        await drawer.start(page_request(references=[ReferenceImage(key="books/book-1/sheets/gone.png")]))
    assert replicate_api.creations == 0
