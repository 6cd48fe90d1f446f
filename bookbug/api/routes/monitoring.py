"""For operators' tools, without signing in: /healthz (alive), /readyz (ready for traffic),
/metrics (Prometheus). They carry no user's data: counts, and which dependency is down."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from bookbug.services import monitoring

# Not in the OpenAPI document: they are for orchestrators and Prometheus, not API clients
# (and /readyz answering 503 while a dependency is down is its job, not an error).
router = APIRouter(tags=["meta"], include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The app process is alive (it asks nothing else)."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency is down or migrations are missing."}})
async def readyz() -> JSONResponse:
    """Ready for traffic: the database and Redis answer and every migration is applied."""
    ready, checks = await monitoring.readiness()
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response)
async def metrics() -> Response:
    """This app process's metrics in Prometheus's text format."""
    body, content_type = await monitoring.metrics()
    return Response(body, media_type=content_type)
