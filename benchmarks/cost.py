"""What a 24-page book costs through Claude and Replicate, with prompt caching off and on.

    .venv/bin/python benchmarks/cost.py [--pages 24]

One book each way, on the embedded engine (SQLite, in-process worker), through the real anthropic
and replicate SDKs against the repository's stand-ins: the Messages stand-in answers every agent
with the offline writer and counts each request's tokens the way the API does, prompt caching
included (tests/standins/anthropic.py `count_tokens`: a token per four characters, the API's
minimum cacheable prefix per model, 5-minute cache); the Replicate stand-in creates predictions.
Everything is read back from the ledger (one row per paid call): input, output, cache read and
cache write tokens, images, and estimated USD at list prices, per phase (intake, plot, prose,
art direction, pictures, quality checks) and per book, then the ratio of input-token cost with
caching on to off (target: at most 0.5). The intake answers are the same both ways.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHASES = {
    "intake_turn": "intake", "plot_proposal": "plot", "plot_review": "plot", "prose_setup": "prose",
    "prose_page": "prose", "style_guide": "art direction", "illustration_beat": "art direction",
    "page": "pictures", "character_sheet": "pictures", "cover": "pictures",
    "page_review": "quality checks", "score_illustration": "quality checks",
}
FIELDS = ("calls", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "images",
          "cost_usd", "input_usd")


async def one_book(pages: int, caching: bool) -> dict[str, dict[str, float]]:
    from sqlmodel import SQLModel, select

    import bookbug.workflows.registered  # noqa: F401 - registers the book workflows
    from bookbug.db import LedgerEntry, session_scope
    from bookbug.db.session import get_engine
    from bookbug.engine import Engine, EngineConfig
    from bookbug.providers import prices
    from bookbug.providers.images import IllustrationRequest, OfflineIllustrator
    from bookbug.services import books
    from bookbug.config import app_config
    from bookbug.services.runtime import use_engine
    from bookbug.settings import reset_settings
    from tests.conftest import ENGINE_FAST, make_user
    from tests.standins.anthropic import AnthropicStandIn
    from tests.standins.claude_offline import carry_inputs, offline_claude
    from tests.standins.replicate import TOKEN, ReplicateStandIn
    from tests.workflows.conversation import answer_intake, wait_for_status

    painter = OfflineIllustrator()
    picture = (await painter.finish(await painter.start(IllustrationRequest(book_id="cost", page=1)))).png
    with tempfile.TemporaryDirectory() as folder, AnthropicStandIn() as claude, \
            ReplicateStandIn(image=picture) as replicate, carry_inputs():
        claude.responder, claude.count_tokens = offline_claude, True
        url = f"sqlite:///{folder}/cost.db"
        os.environ.update({
            "DATABASE_URL": url, "DATA_DIR": folder, "ANTHROPIC_API_KEY": "sk-ant-bench",
            "ANTHROPIC_BASE_URL": claude.url, "REPLICATE_API_TOKEN": TOKEN, "REPLICATE_BASE_URL": replicate.base_url,
            "REPLICATE_POLL_SECONDS": "0.05", "REPLICATE_DELIVERY_HOSTS": "127.0.0.1", "ANTHROPIC_RPM": "10000",
            "REPLICATE_RPM": "10000",
        })
        reset_settings()
        SQLModel.metadata.create_all(get_engine(url))
        app_config._cache = None
        app_config.update({"prompt_caching": "on" if caching else "off"})
        engine = Engine(EngineConfig(db_url=url, queue_name=f"cost:{uuid.uuid4().hex[:8]}",
                                     key_prefix=f"cost{uuid.uuid4().hex[:8]}", **ENGINE_FAST))  # type: ignore[arg-type]
        use_engine(engine)
        try:
            async with engine, engine.worker():
                user = make_user(f"parent-{uuid.uuid4().hex[:6]}@example.com")
                book = await books.create_book(user.id, page_count=pages)
                await answer_intake(user.id, book.id, timeout=300)
                await books.approve(user.id, book.id)
                done = await wait_for_status(user.id, book.id, timeout=1200)
                if done.status != "complete":
                    raise SystemExit(f"the book did not finish: {done.status} {done.error}")
        finally:
            use_engine(None)
        with session_scope() as session:
            rows = session.exec(select(LedgerEntry).where(LedgerEntry.book_id == book.id)).all()
    listed = list(prices.LIST_PRICES)
    split: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0.0))
    for row in rows:
        for phase in (PHASES.get(row.kind, row.kind), "book"):
            line = split[phase]
            price = prices.pick(listed, row.provider, row.model)
            line["calls"] += 1
            for name in FIELDS[1:7]:
                line[name] += getattr(row, name)
            line["input_usd"] += (row.input_tokens * price.input + row.cache_read_tokens * price.cache_read
                                  + row.cache_write_tokens * price.cache_write) / 1e6
    return dict(split)


def _table(title: str, split: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'phase':<16}{'calls':>7}{'input':>10}{'output':>9}{'cache rd':>10}{'cache wr':>10}{'images':>8}"
          f"{'input $':>10}{'total $':>10}")
    order = ["intake", "plot", "prose", "art direction", "pictures", "quality checks", "book"]
    for phase in [p for p in order if p in split] + [p for p in split if p not in order]:
        line = split[phase]
        print(f"{phase:<16}{line['calls']:>7.0f}{line['input_tokens']:>10.0f}{line['output_tokens']:>9.0f}"
              f"{line['cache_read_tokens']:>10.0f}{line['cache_write_tokens']:>10.0f}{line['images']:>8.0f}"
              f"{line['input_usd']:>10.4f}{line['cost_usd']:>10.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=24)
    args = parser.parse_args()
    off = asyncio.run(one_book(args.pages, caching=False))
    on = asyncio.run(one_book(args.pages, caching=True))
    _table(f"{args.pages}-page book, prompt caching OFF (USD: estimates at list prices)", off)
    _table(f"{args.pages}-page book, prompt caching ON", on)
    text_in = {name: sum(v["input_usd"] for p, v in split.items() if p not in ("book", "pictures"))
               for name, split in (("off", off), ("on", on))}
    print(f"\ninput-token cost: off ${text_in['off']:.4f}, on ${text_in['on']:.4f}, "
          f"ratio on/off {text_in['on'] / text_in['off']:.2f} (target at most 0.50)")
    print(f"prose input-token cost: off ${off['prose']['input_usd']:.4f}, on ${on['prose']['input_usd']:.4f}, "
          f"ratio {on['prose']['input_usd'] / off['prose']['input_usd']:.2f}")
    print(f"book total: off ${off['book']['cost_usd']:.4f}, on ${on['book']['cost_usd']:.4f}, "
          f"ratio {on['book']['cost_usd'] / off['book']['cost_usd']:.2f}")


if __name__ == "__main__":
    main()
