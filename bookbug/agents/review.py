"""Page review: before a page is drawn, is what it says right for the book's young readers?

A short, cheap step on the fast model. A page found unsuitable names its concern and says
what a rewrite must change; the workflow asks the writer for one rewrite with that advice.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from bookbug.agents.base import Agent, as_json
from bookbug.safety import CONCERNS, Concern, concerns_for_a_model
from bookbug.story.brief import Brief
from bookbug.story.prose import ProsePage
from bookbug.story.text_fields import Text


class PageReviewInput(BaseModel):
    brief: Brief
    page: ProsePage


class PageReview(BaseModel):
    suitable: bool = Field(description="true when the page's words and picture idea suit the readers' ages")
    concern: Concern | None = Field(default=None, description="the kind of problem when not suitable; null when suitable")
    advice: Text = Field(default="", max_length=400, description=(
        "when not suitable: what a rewrite must change, in a sentence or two; empty when suitable"))

    @model_validator(mode="after")
    def _concern_when_unsuitable(self) -> PageReview:
        if self.suitable and self.concern is not None:
            raise PydanticCustomError("concern_when_suitable", "a suitable page raises no concern, not {concern}",
                                      {"concern": self.concern})
        if not self.suitable and self.concern is None:
            raise PydanticCustomError("unsuitable_without_concern", "an unsuitable page names its concern")
        return self

    @classmethod
    def tool_schema(cls, schema: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """`schema` (this model's JSON schema) tying the concern to the verdict."""
        schema["if"] = {"properties": {"suitable": {"const": True}}}
        schema["then"] = {"properties": {"concern": {"const": None}}}
        schema["else"] = {"properties": {"concern": {"enum": list(CONCERNS)}}, "required": ["concern"]}
        return schema


SYSTEM = f"""You review one page of a children's picture book before it is illustrated. Decide
whether its text and image concept suit the book's readers (their ages are in the brief).
A page is unsuitable when it shows or tells any of these:
{concerns_for_a_model()}
Be fair: gentle peril that ends well, mischief, a sad moment that is comforted, a friendly
monster, a shark or a storm are fine. When a page is unsuitable, name the concern and say in
a sentence or two what a rewrite must change; otherwise suitable is true and advice is empty."""


def render(input: PageReviewInput) -> str:
    ages = input.brief.age_range
    return (f"Readers aged {ages if ages else 'unknown (treat them as very young)'}.\n\n"
            f"Page {input.page.page_number}:\nText: {input.page.text}\nImage concept: {input.page.image_concept}\n\n"
            f"The characters:\n{as_json(input.brief.characters)}")


page_review: Agent[PageReviewInput, PageReview] = Agent(
    name="page_review",
    description="Check one page's words and picture idea are right for the readers' ages.",
    system=SYSTEM,
    render=render,
    input_type=PageReviewInput,
    output_type=PageReview,
    tier="fast",
    max_tokens=512,
)
