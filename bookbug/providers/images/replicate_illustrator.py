"""Illustrations from Replicate, through the replicate SDK, in three checkpointable calls.

`start` makes the one POST that creates (and pays for) a prediction. The SDK never retries
a POST, and neither do we: every failure propagates as a `RetryableError` or `FatalError`
so the durable engine decides, and the id is checkpointed the moment `start` returns.
`wait` only reads: it polls the prediction until it ends and reports how (a failed or
refused prediction is an outcome; the workflow starts a new one). `fetch` downloads the
output, at once, because Replicate deletes outputs after about an hour.
"""

from __future__ import annotations

import asyncio
import base64
import io
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import replicate
from PIL import Image
from replicate.exceptions import ReplicateError
from replicate.helpers import FileOutput

from bookbug.providers.images.models import IllustrationRequest, IllustrationResult, PredictionOutcome
from bookbug.providers.images.prompts import build_prompt
from bookbug.providers.spending import Meter, Spent, metered
from bookbug.resilience.classify import refused_for_safety
from bookbug.resilience.errors import FatalError, RetryableError
from bookbug.resilience.retry_after import parse_retry_after
from bookbug.settings import Settings, get_settings
from bookbug.story.formats import get_format

SERVICE = "replicate"
TERMINAL = ("succeeded", "failed", "canceled")
# Reference images travel as data URIs; the long side is capped so 14 of them stay a
# request of a few megabytes (the models look at references at about this size anyway).
REFERENCE_MAX_SIDE = 1024
# Imagen takes only these ratios; the nano-banana family takes these and more.
IMAGEN_RATIOS = ("1:1", "3:4", "4:3", "9:16", "16:9")
REFERENCE_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")

StorageReader = Callable[[str], bytes]


def _ratio_value(ratio: str) -> float:
    width, height = ratio.split(":")
    return float(width) / float(height)


def nearest_ratio(wanted: str, allowed: tuple[str, ...]) -> str:
    """`wanted` if the model takes it, else the allowed ratio closest to it (publishing crops the rest)."""
    if wanted in allowed:
        return wanted
    target = _ratio_value(wanted)
    return min(allowed, key=lambda ratio: abs(_ratio_value(ratio) - target))


def _data_uri(image_bytes: bytes) -> str:
    try:
        image: Image.Image = Image.open(io.BytesIO(image_bytes))
        image.load()
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad bytes
        raise FatalError(f"a reference image is not a picture Pillow can read: {exc}", service=SERVICE) from exc
    image = image.convert("RGB")
    image.thumbnail((REFERENCE_MAX_SIDE, REFERENCE_MAX_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


async def _raise_on_throttle(response: httpx.Response) -> None:
    """Turn 429 and 5xx answers into RetryableError carrying the server's Retry-After.

    The SDK's own error drops the response headers, and with them the delay the server
    asked for; this httpx hook sees them first. (GETs reach here only after the SDK's own
    retries gave up.)
    """
    status = response.status_code
    if status == 429 or status >= 500:
        await response.aread()
        retry_after = parse_retry_after(response.headers)
        detail = response.text[:300].strip()
        raise RetryableError(
            f"Replicate answered {status} to {response.request.method} {response.request.url.path}"
            + (f": {detail}" if detail else ""),
            retry_after=retry_after,
            service=SERVICE,
            status=status,
        )


class ReplicateIllustrator:
    """One instance per event loop: the SDK's async HTTP client belongs to the loop that first used it."""

    name = "replicate"
    service = "replicate"

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        read_stored: StorageReader | None = None,
        poll_interval: float = 1.0,
        max_wait_seconds: float = 600.0,
        before_create: Callable[[], Awaitable[None]] | None = None,
        on_throttled: Callable[[float], Awaitable[None]] | None = None,
        meter: Meter | None = None,
    ) -> None:
        self.meter = meter  # hears of each prediction paid for (bookbug/providers/spending.py)
        # hears of a 429 the moment its answer arrives (with its Retry-After), so the pause
        # reaches every worker before anything else happens
        self._on_throttled = on_throttled
        # awaited by the HTTP client right before the paid POST goes out: the workflows pass
        # the engine's rate limiting here
        self._before_create = before_create
        settings = settings or get_settings()
        if not settings.replicate_api_token:
            raise FatalError("REPLICATE_API_TOKEN is not set: the Replicate illustrator cannot run", service=SERVICE)
        self.reference_model = settings.replicate_reference_model
        self.prompt_model = settings.replicate_prompt_model
        self.poll_interval = poll_interval
        self.max_wait_seconds = max_wait_seconds
        self._read_stored = read_stored  # resolves references given as storage keys
        self.delivery_hosts = list(settings.replicate_delivery_hosts)
        self._client = replicate.Client(
            api_token=settings.replicate_api_token,
            base_url=settings.replicate_base_url or None,
            # an async hook: this illustrator only ever uses the SDK's async methods
            event_hooks={"request": [self._pace_creates], "response": [self._tell_throttled, _raise_on_throttle]},
        )

    async def _pace_creates(self, request: httpx.Request) -> None:
        """Right before a prediction is created (the paid request) goes out: the engine's pacing."""
        if self._before_create is not None and request.method == "POST" and request.url.path.endswith("/predictions"):
            await self._before_create()

    async def _tell_throttled(self, response: httpx.Response) -> None:
        if response.status_code == 429 and self._on_throttled is not None:
            await self._on_throttled(parse_retry_after(response.headers) or 1.0)

    # -- start -------------------------------------------------------------------------
    def model_for(self, request: IllustrationRequest) -> str:
        """References need the model that reads them; everything else goes prompt-only."""
        return self.reference_model if request.references else self.prompt_model

    def build_input(self, request: IllustrationRequest) -> dict[str, Any]:
        model = self.model_for(request)
        wanted = get_format(request.format_name).aspect_ratio
        prompt = build_prompt(request)
        if request.references:
            return {
                "prompt": prompt,
                "image_input": [self._reference_uri(ref.data, ref.key) for ref in request.references],
                "aspect_ratio": nearest_ratio(wanted, REFERENCE_RATIOS),
                "output_format": "png",
            }
        allowed = IMAGEN_RATIOS if "imagen" in model else REFERENCE_RATIOS
        return {
            "prompt": prompt,
            "aspect_ratio": nearest_ratio(wanted, allowed),
            "output_format": "png",
            "safety_filter_level": "block_medium_and_above",
        }

    def _reference_uri(self, data: bytes | None, key: str | None) -> str:
        if data is None:
            if self._read_stored is None or key is None:
                raise FatalError(
                    f"reference image {key!r} is a storage key but the illustrator has no storage to read it",
                    service=SERVICE,
                )
            try:
                data = self._read_stored(key)
            except LookupError as exc:
                raise FatalError(f"reference image {key!r} is not in storage", service=SERVICE) from exc
        return _data_uri(data)

    async def start(self, request: IllustrationRequest) -> str:
        model = self.model_for(request)
        # reading stored references and re-encoding them is blocking work: keep it off the loop
        model_input = await asyncio.to_thread(self.build_input, request)
        return await self.create(model, model_input, kind=request.kind)

    async def create(self, model: str, model_input: dict[str, Any], *, kind: str) -> str:
        """Create (and pay for) one prediction of `model` for `kind` of work; its id. (The narrator
        shares this too: one prediction, one bill, on the ledger.)"""
        try:
            async with metered(self.meter, Spent(SERVICE, model, kind, images=1)) as bill:
                prediction = await self._client.predictions.async_create(model=model, input=model_input)
                bill(images=1)
        except ReplicateError as exc:
            # 429 and 5xx were raised as RetryableError by the hook; what is left (401, 404,
            # 422...) will fail the same way every time.
            raise FatalError(
                f"Replicate refused to start {model}: {exc.detail or exc.title or exc.status}",
                service=SERVICE,
                status=exc.status,
            ) from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"could not reach Replicate to start {model}: {exc!r}", service=SERVICE) from exc
        return prediction.id

    # -- finish ------------------------------------------------------------------------
    async def wait(self, prediction_id: str) -> PredictionOutcome:
        try:
            prediction = await self._client.predictions.async_get(prediction_id)
            deadline = time.monotonic() + self.max_wait_seconds
            while prediction.status not in TERMINAL:
                if time.monotonic() > deadline:
                    # Same id next time: the engine retries `wait`, never `start`.
                    raise RetryableError(
                        f"Replicate prediction {prediction_id} is still {prediction.status} "
                        f"after {self.max_wait_seconds:.0f} s",
                        service=SERVICE, kind="timeout",
                    )
                await asyncio.sleep(self.poll_interval)
                await prediction.async_reload()
        except ReplicateError as exc:
            raise FatalError(
                f"Replicate could not find prediction {prediction_id}: {exc.detail or exc.status}",
                service=SERVICE,
                status=exc.status,
            ) from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"could not reach Replicate for {prediction_id}: {exc!r}", service=SERVICE) from exc
        asked = (prediction.input or {}).get("aspect_ratio") if isinstance(prediction.input, dict) else None
        return PredictionOutcome(
            status=prediction.status, output=_locations(prediction.output), error=prediction.error,  # type: ignore[arg-type]  # the poll above ends only on a finished status; Replicate's type also has the running ones
            aspect_ratio=asked if isinstance(asked, str) else None,
            refused=prediction.status == "failed" and refused_for_safety(prediction.error),
            model=prediction.model or "", metrics=dict(prediction.metrics or {}),
        )

    async def fetch(self, prediction_id: str, outcome: PredictionOutcome) -> IllustrationResult:
        raw = await self.download_output(prediction_id, outcome.output, aspect_ratio=outcome.aspect_ratio)
        png, width, height = await asyncio.to_thread(_as_png, raw, prediction_id)
        return IllustrationResult(
            png=png,
            width=width,
            height=height,
            model=outcome.model,
            prediction_id=prediction_id,
            metadata={"provider": self.name, "predict_time": outcome.metrics.get("predict_time")},
        )

    async def finish(self, prediction_id: str) -> IllustrationResult:
        """`wait` then `fetch`, for callers that do not checkpoint in between."""
        outcome = await self.wait(prediction_id)
        if not outcome.succeeded:
            raise FatalError(f"Replicate prediction {prediction_id} {outcome.status}: "
                             f"{outcome.error or 'no reason given'}", service=SERVICE,
                             kind="content_refused" if outcome.refused else "internal")
        return await self.fetch(prediction_id, outcome)

    async def download_output(self, prediction_id: str, output: Any, *, aspect_ratio: str | None = None) -> bytes:
        """The image bytes of `output`: a URL string, a FileOutput (what `replicate.run`
        returns), or a list of either (the first is the picture).

        A prediction's output URL is whatever Replicate's answer said, so it is fetched only
        from the delivery hosts (REPLICATE_DELIVERY_HOSTS), over https, without the API token
        (a plain client, not the SDK's authenticated one), following no redirects, and reading
        at most MAX_IMAGE_BYTES. What arrives must be a picture of a sensible size whose shape
        matches the `aspect_ratio` asked for (when known)."""
        first = output[0] if isinstance(output, (list, tuple)) and output else output
        url = first.url if isinstance(first, FileOutput) else first if isinstance(first, str) else ""
        if not url:
            raise FatalError(
                f"Replicate prediction {prediction_id} succeeded without an image (output: {output!r})",
                service=SERVICE,
            )
        if url.startswith("data:"):  # a model that answers inline: nothing to fetch
            data = await FileOutput(url, self._client).aread()
        else:
            data = await self._fetch_delivery(prediction_id, url)
        _check_picture(data, prediction_id, aspect_ratio)
        return data

    async def download(self, prediction_id: str, output: list[str]) -> bytes:
        """The first output file of a prediction, whatever it holds, fetched as safely as a picture."""
        url = output[0] if output else ""
        if not url:
            raise FatalError(f"Replicate prediction {prediction_id} succeeded without an output", service=SERVICE)
        if url.startswith("data:"):
            return await FileOutput(url, self._client).aread()
        return await self._fetch_delivery(prediction_id, url)

    async def _fetch_delivery(self, prediction_id: str, url: str) -> bytes:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not _delivery_host_allowed(host, self.delivery_hosts):
            raise FatalError(f"prediction {prediction_id}'s output is on {host or url!r}, which is not a "
                             "Replicate delivery host (REPLICATE_DELIVERY_HOSTS); it was not downloaded",
                             service=SERVICE)
        if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(host)):
            raise FatalError(f"prediction {prediction_id}'s output is not an https URL; it was not downloaded",
                             service=SERVICE)
        try:
            async with httpx.AsyncClient(follow_redirects=False, timeout=DOWNLOAD_TIMEOUT) as plain:
                async with plain.stream("GET", url) as response:
                    if response.status_code != 200:
                        status = response.status_code
                        error_type = RetryableError if status >= 500 or status == 429 else FatalError
                        raise error_type(
                            f"could not download the image of prediction {prediction_id} ({status}); "
                            "Replicate deletes outputs about an hour after they are made",
                            service=SERVICE,
                            status=status,
                        )
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > MAX_IMAGE_BYTES:
                        raise _too_big(prediction_id)
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > MAX_IMAGE_BYTES:
                            raise _too_big(prediction_id)
                        chunks.append(chunk)
                    return b"".join(chunks)
        except httpx.TransportError as exc:
            raise RetryableError(f"could not download prediction {prediction_id}: {exc!r}", service=SERVICE) from exc


def _locations(output: Any) -> list[str]:
    """Where a prediction's pictures are: its output as URL strings (a FileOutput, a URL, or a list)."""
    items = output if isinstance(output, (list, tuple)) else [output] if output else []
    return [str(item.url) if isinstance(item, FileOutput) else str(item) for item in items if item]


MAX_IMAGE_BYTES = 40 * 1024 * 1024  # a 4096-pixel PNG is well under this
MIN_SIDE, MAX_SIDE, MAX_PIXELS = 256, 8192, 40_000_000
RATIO_TOLERANCE = 0.15  # models round sizes to multiples of 8 or 64; publishing crops the rest
DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def _delivery_host_allowed(host: str, allowed: list[str]) -> bool:
    for pattern in allowed:
        if pattern.startswith("*.") and host.endswith(pattern[1:]) and host != pattern[2:]:
            return True
        if host == pattern:
            return True
    return False


def _loopback(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1")


def _too_big(prediction_id: str) -> FatalError:
    return FatalError(f"the output of prediction {prediction_id} is larger than {MAX_IMAGE_BYTES // 2**20} MiB; "
                      "it was not downloaded", service=SERVICE)


def _check_picture(data: bytes, prediction_id: str, aspect_ratio: str | None) -> None:
    """A picture Pillow reads, of a sensible size, shaped like the ratio asked for."""
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only: no pixels decoded yet
            width, height, kind = image.width, image.height, image.format
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad bytes
        raise RetryableError(f"the output of prediction {prediction_id} is not an image ({len(data)} bytes)",
                             service=SERVICE) from exc
    if kind not in ("PNG", "JPEG", "WEBP"):
        raise FatalError(f"the output of prediction {prediction_id} is a {kind} file, not a PNG, JPEG or WebP",
                         service=SERVICE)
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE) or width * height > MAX_PIXELS:
        raise FatalError(f"the output of prediction {prediction_id} is {width}x{height} pixels, not a picture "
                         "size a page can use", service=SERVICE)
    if aspect_ratio and ":" in aspect_ratio:
        wanted = _ratio_value(aspect_ratio)
        if abs(width / height - wanted) / wanted > RATIO_TOLERANCE:
            raise FatalError(f"the output of prediction {prediction_id} is {width}x{height} pixels, not the "
                             f"{aspect_ratio} shape that was asked for", service=SERVICE)


def _as_png(raw: bytes, prediction_id: str) -> tuple[bytes, int, int]:
    try:
        image = Image.open(io.BytesIO(raw))
        image.load()
    except Exception as exc:  # noqa: BLE001
        raise RetryableError(
            f"the output of prediction {prediction_id} is not an image ({len(raw)} bytes)", service=SERVICE
        ) from exc
    if image.format == "PNG":
        return raw, image.width, image.height
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue(), image.width, image.height
