"""The REST API: a FastAPI app mounted into Reflex through `api_transformer`."""

from __future__ import annotations

from fastapi import FastAPI


def build_api() -> FastAPI:
    api = FastAPI(title="Bookbug API", docs_url="/api/docs", openapi_url="/api/openapi.json",
                  redoc_url=None)

    @api.get("/api/health", tags=["meta"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return api
