"""A `requests` session for a service that takes a bearer token, with retries and back-off on
the methods the caller names as safe to repeat (the rest are sent once); and what a refusal
said, for the error the user reads."""

from __future__ import annotations

from collections.abc import Iterable

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


def bearer_session(token: str, *, repeatable: Iterable[str], retries: int = 3) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        backoff_factor=0.3,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset(repeatable),
        raise_on_status=False,
    )
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def refusal_detail(response: requests.Response) -> str:
    """'409 compartment not free': the status and the problem's title, where it gave one."""
    try:
        title = str(response.json().get("title", ""))
    except ValueError:
        title = ""
    return f"{response.status_code} {title}".strip()
