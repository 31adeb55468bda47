from typing import Any

from django.http import HttpRequest

# The system's name in every page's banner and title.
SITE_NAME = "重点工作台账"


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": SITE_NAME}
