"""Rule pages (``rules/<CODE>.md``): shipped in the wheel as ``masklint/_rule_pages/``
(hatch force-include); in a development checkout, read from ``rules/`` beside the package."""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional

_MARKER = re.compile(r"^<!--\s*masklint-test:.*?-->[ \t]*\n?", re.M)
_PACKAGE = Path(__file__).resolve().parent


def page_dirs() -> List[Path]:
    return [_PACKAGE / "_rule_pages", _PACKAGE.parent / "rules"]


def find_page(code: str) -> Optional[Path]:
    name = f"{code.upper()}.md"
    for directory in page_dirs():
        page = directory / name
        if page.is_file():
            return page
    return None


def read_page(code: str) -> Optional[str]:
    """The page's Markdown as a reader sees it: without the test harness's
    ``<!-- masklint-test: ... -->`` markers."""
    page = find_page(code)
    if page is None:
        return None
    try:
        text = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _MARKER.sub("", text)
