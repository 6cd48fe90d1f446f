"""Claude looks at a page and scores it against its beat and the character sheets.

One forced tool call returns the four criteria as numbers; the workflow keeps the best of
up to three drawings and stores the scores for the operator. Like the Claude writer, the
SDK never retries (`max_retries=0`): SDK errors propagate for `bookbug.resilience.classify`
and the engine decides.
"""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Awaitable, Callable
from typing import Any

from PIL import Image
from pydantic import ValidationError

from bookbug.providers.images.quality import PASSING_SCORE, VisionScore
from bookbug.providers.spending import Meter, Spent, metered, tokens_at_most
from bookbug.resilience.errors import FatalError, RetryableError
from bookbug.providers.anthropic_client import anthropic_client
from bookbug.settings import Settings, get_settings

TOOL = "score_illustration"
IMAGE_TOKENS_AT_MOST = 1600  # Claude counts an image as about width x height / 750 tokens
PAGE_MAX_SIDE = 1024  # Claude reads images at about this size; bigger only costs tokens
SHEET_MAX_SIDE = 768
SYSTEM = (
    "You are the art director of a children's picture book. You check each finished illustration "
    "before it is printed. Be strict and fair: a score of 70 or more means a parent would be happy "
    "to see this page in their child's book."
)


def _image_block(png: bytes, max_side: int) -> dict[str, Any]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": data}}


def scoring_prompt(beat: str, sheet_count: int) -> str:
    sheets = (
        f"The {sheet_count} image(s) before it are the character sheets: every character must look exactly like "
        "its sheet (face, body shape, colours, clothes)."
        if sheet_count else "There are no character sheets for this page."
    )
    return (
        f"The last image is the illustration for this page. {sheets}\n\n"
        f"What the page should show:\n{beat.strip()}\n\n"
        "Score it with the score_illustration tool, each criterion from 0 to 100 where 100 is best: "
        "character_consistency, environment_consistency (setting, time of day, action), artefacts "
        "(100 = none: no extra limbs, melted faces, broken hands), unwanted_text (100 = no letters, "
        f"words or numbers drawn anywhere; the story text is added later). A page passes at {PASSING_SCORE}."
    )


class ClaudeVisionScorer:
    name = "claude-vision"
    service = "anthropic"  # its calls count against Claude's rate limit

    def __init__(self, settings: Settings | None = None, *, timeout: float = 60.0,
                 before_request: Callable[[], Awaitable[None]] | None = None,
                 on_throttled: Callable[[float], Awaitable[None]] | None = None,
                 meter: Meter | None = None, caching: bool = False) -> None:
        self.meter = meter  # hears of each paid request (bookbug/providers/spending.py)
        # the character sheets come first and are the same for every page of a book: with
        # `caching`, they end the prefix Anthropic's prompt cache keeps, so page after page reads them
        self.caching = caching
        # the engine's pacing, hooked into the HTTP layer (see providers/anthropic_client.py)
        settings = settings or get_settings()
        if not settings.anthropic_api_key:
            raise FatalError("scoring pictures needs ANTHROPIC_API_KEY; without it only the offline check runs",
                             service="anthropic")
        self.model = settings.anthropic_vision_model
        self.client = anthropic_client(settings, timeout=timeout, before_request=before_request,
                                       on_throttled=on_throttled)

    async def score(self, page_png: bytes, beat: str, character_sheets: list[bytes]) -> VisionScore:
        # resizing and re-encoding is Pillow work: off the event loop
        content: list[dict[str, Any]] = [await asyncio.to_thread(_image_block, sheet, SHEET_MAX_SIDE)
                                         for sheet in character_sheets]
        if self.caching and content:
            content[-1]["cache_control"] = {"type": "ephemeral"}
        content.append(await asyncio.to_thread(_image_block, page_png, PAGE_MAX_SIDE))
        content.append({"type": "text", "text": scoring_prompt(beat, len(character_sheets))})
        reply = await self._ask(content)
        for block in reply.content:
            if block.type == "tool_use" and block.name == TOOL:
                try:
                    return VisionScore.model_validate(block.input)
                except ValidationError as error:
                    # another attempt usually answers in shape; the engine caps the attempts
                    raise RetryableError(f"Claude's scores were not usable: {error.errors()[0]['msg']}",
                                         service="anthropic", kind="invalid_reply") from error
        raise RetryableError("Claude did not call the score_illustration tool", service="anthropic",
                             kind="invalid_reply")

    async def _ask(self, content: list[dict[str, Any]]) -> Any:
        from bookbug.providers.text.claude import spent_tokens

        tools = [{"name": TOOL, "description": "Record the scores of one illustration.",
                  "input_schema": VisionScore.model_json_schema()}]
        words = [block for block in content if block.get("type") == "text"]
        images = len(content) - len(words)
        most = Spent(self.service, self.model, TOOL, output_tokens=600,
                     input_tokens=tokens_at_most(SYSTEM, words, tools) + images * IMAGE_TOKENS_AT_MOST)
        async with metered(self.meter, most) as bill:
            # the message and the tools are plain dicts, not the SDK's TypedDicts
            reply = await self.client.messages.create(  # type: ignore[call-overload]
                model=self.model,
                max_tokens=600,
                system=SYSTEM,
                messages=[{"role": "user", "content": content}],
                tools=tools,
                tool_choice={"type": "tool", "name": TOOL},
            )
            bill(**spent_tokens(reply))
        return reply

    async def aclose(self) -> None:
        await self.client.close()
