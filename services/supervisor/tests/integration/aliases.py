"""Types of the integration fixtures, short enough for a test's fixtures to fit on one line."""

from collections.abc import Callable
from typing import Any

import httpx

Client = httpx.AsyncClient
Headers = dict[str, str]
Auth = Callable[..., Headers]
Factory = Callable[..., Any]
