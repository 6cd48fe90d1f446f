"""The offline quality check: shape, blankness, one-colour pictures."""

from __future__ import annotations

import io

from PIL import Image

from bookbug.providers.images.quality import PASSING_SCORE, VisionScore, check_image
from tests.providers_images.conftest import picture_png


def test_a_varied_picture_of_the_right_shape_passes() -> None:
    report = check_image(picture_png((1050, 1050)), "square-large")
    assert report.passed and report.score == 100


def test_a_model_ratio_close_to_the_page_passes() -> None:
    # 4:3 from the model for a 9 x 7 in page: publishing crops the difference
    assert check_image(picture_png((1024, 768)), "landscape").passed


def test_the_wrong_shape_fails() -> None:
    report = check_image(picture_png((1024, 512)), "square-large")
    assert not report.passed and "page shape" in report.problems[0]


def test_a_blank_picture_fails() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), (250, 250, 250)).save(buffer, format="PNG")
    blank = check_image(buffer.getvalue(), "square-large")
    assert not blank.passed
    assert any("blank" in problem for problem in blank.problems)
    assert any("single colour" in problem for problem in blank.problems)


def test_a_tiny_picture_fails() -> None:
    assert not check_image(picture_png((200, 200)), "square-large").passed


def test_something_that_is_not_an_image_fails_with_a_reason() -> None:
    report = check_image(b"<html>error</html>", "square-large")
    assert report.score == 0 and "not an image" in report.problems[0]


def test_vision_score_passes_only_when_every_criterion_does() -> None:
    good = VisionScore(character_consistency=90, environment_consistency=85, artefacts=80, unwanted_text=100)
    assert good.passed and good.overall == 80
    text = VisionScore(character_consistency=95, environment_consistency=95, artefacts=95, unwanted_text=PASSING_SCORE - 1)
    assert not text.passed
