from tests.api.conftest import _cheap_hashing, alice, api_db, bob, client, engine, make_caller  # noqa: F401 - fixtures
from tests.standins.anthropic import anthropic_standin  # noqa: F401 - the fixture
