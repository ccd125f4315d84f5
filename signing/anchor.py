"""Time-stamping any bytes with the configured TSA (RFC 3161): anchors the audit log's daily
digest outside Sijill, so that even an administrator cannot rewrite the log unseen."""

from __future__ import annotations

import asyncio
import hashlib

from config.errors import SigningError


def timestamp_token(data: bytes, tsa_url: str) -> bytes:
    """The DER TimeStampToken over SHA-256(data); check it with `openssl ts -verify -token_in`."""
    from pyhanko.sign import timestamps

    try:
        token = asyncio.run(
            timestamps.HTTPTimeStamper(tsa_url).async_timestamp(hashlib.sha256(data).digest(), "sha256")
        )
    except Exception as exc:  # network, HTTP or TSA refusal: one message for the operator
        raise SigningError(f"The time-stamping server {tsa_url} did not time-stamp the digest ({exc}).") from exc
    return token.dump()
