from tests.standins.anthropic import anthropic_standin  # noqa: F401 - the fixture
