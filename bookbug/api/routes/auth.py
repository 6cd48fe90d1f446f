"""Personal API tokens: made from an e-mail and password (`bookbug login`), listed, revoked.

A token is shown once, in the answer that creates it, and stored only as a hash.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from bookbug.api.deps import CurrentUser
from bookbug.api.schemas import AUTH_ERRORS, INPUT_ERRORS, ApiTokenOut, ErrorResponse, NewApiTokenOut, TokenRequest, UserOut
from bookbug.services.accounts.api_tokens import NewApiToken, create_api_token, list_api_tokens, revoke_api_token
from bookbug.services.accounts.sign_in import authenticate_password

router = APIRouter(prefix="/api", tags=["auth"])


def _token_for_password(body: TokenRequest, client: str) -> NewApiToken:
    # authenticate_password is the one place that checks a password (with its timing guard,
    # rehashing and limits on guessing)
    user = authenticate_password(body.email, body.password, client=client)
    expires = timedelta(days=body.expires_in_days) if body.expires_in_days else None
    return create_api_token(user.id, body.name, expires_in=expires)


@router.post("/auth/token", status_code=status.HTTP_201_CREATED, response_model=NewApiTokenOut,
             responses={**INPUT_ERRORS, 401: {"model": ErrorResponse, "description": "Wrong e-mail or password."},
                        429: {"model": ErrorResponse,
                              "description": "Too many attempts for this e-mail from this address, or from "
                                             "this address; see Retry-After."}})
async def create_token(body: TokenRequest, request: Request) -> NewApiTokenOut:
    """Trade an e-mail and password for a new personal API token (shown this once).

    After a few failed attempts for one e-mail from one address, each further attempt from
    there must wait longer (5 seconds, doubling up to 15 minutes); one address also has a
    ceiling across all e-mails. Until then attempts answer 429, with Retry-After saying when."""
    # the peer's address, or the proxy's if the server was not told to trust forwarded headers
    client = request.client.host if request.client else ""
    new = await asyncio.to_thread(_token_for_password, body, client)
    return NewApiTokenOut(id=new.id, name=new.name, prefix=new.prefix, token=new.token, expires_at=new.expires_at)


@router.get("/auth/tokens", response_model=list[ApiTokenOut], responses=AUTH_ERRORS)
async def list_tokens(user: CurrentUser) -> list[ApiTokenOut]:
    """The caller's tokens that are not revoked, newest first (never the tokens themselves)."""
    tokens = await asyncio.to_thread(list_api_tokens, user.id)
    return [ApiTokenOut(id=t.id, name=t.name, prefix=t.prefix, created_at=t.created_at, last_used_at=t.last_used_at,
                        expires_at=t.expires_at, expired=t.expired) for t in tokens]


@router.delete("/auth/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={**AUTH_ERRORS, 404: {"model": ErrorResponse, "description": "No such token of yours."}})
async def revoke_token(user: CurrentUser, token_id: str) -> Response:
    """Revoke one of the caller's tokens: it stops working at once."""
    await asyncio.to_thread(revoke_api_token, user.id, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=UserOut, responses=AUTH_ERRORS)
async def me(user: CurrentUser) -> UserOut:
    """Who the token belongs to."""
    return UserOut(id=user.id, email=user.email, display_name=user.display_name, role=user.role)
