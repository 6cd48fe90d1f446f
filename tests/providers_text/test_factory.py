import pytest

from bookbug.providers.text import get_text_provider
from bookbug.providers.text.claude import ClaudeWriter
from bookbug.providers.text.offline import OfflineWriter
from bookbug.providers.text.pricing import estimate_cost, price_of
from bookbug.settings import Settings, reset_settings


def test_without_an_api_key_the_offline_writer_is_chosen():
    assert isinstance(get_text_provider(), OfflineWriter)


def test_with_an_api_key_claude_is_chosen_with_the_base_url_from_settings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-from-env")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    reset_settings()
    provider = get_text_provider()
    assert isinstance(provider, ClaudeWriter)
    assert str(provider.client.base_url).startswith("http://127.0.0.1:9")
    assert provider.client.max_retries == 0


def test_explicit_settings_win_over_the_environment():
    provider = get_text_provider(Settings(anthropic_api_key="sk-x", anthropic_fast_model="claude-haiku-4-5"))
    assert isinstance(provider, ClaudeWriter)


def test_the_offline_writer_seed_is_passed_through():
    provider = get_text_provider(Settings(), seed=42)
    assert isinstance(provider, OfflineWriter) and provider.seed == 42


@pytest.mark.parametrize(("model", "input_price", "output_price"), [
    ("claude-sonnet-4-6", 3.0, 15.0), ("claude-haiku-4-5", 1.0, 5.0), ("claude-opus-4-7", 5.0, 25.0),
    ("claude-opus-4-1", 15.0, 75.0), ("some-future-model", 3.0, 15.0),
])
def test_costs_are_estimated_from_list_prices(model, input_price, output_price):
    assert (price_of(model).input, price_of(model).output) == (input_price, output_price)
    assert estimate_cost(model, 1_000_000, 1_000_000) == pytest.approx(input_price + output_price)
