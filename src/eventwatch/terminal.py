"""Text from articles made safe to print on a terminal.

An article (or a file name) can carry escape sequences that clear the screen, retitle the window or
fake output. Every character a terminal acts on — C0 controls except newline and tab, DEL, C1 controls
(0x80-0x9f, which include the 8-bit CSI) — is replaced one for one by U+FFFD, so evidence offsets into
the text still point at the same characters, and what is left of a sequence ("[2J") is inert text.
"""

from __future__ import annotations

import re

from rich.text import Text

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def terminal_safe(value: object) -> str:
    """`value` as text with every terminal control character replaced (same length as str(value))."""
    return CONTROL.sub(REPLACEMENT, "" if value is None else str(value))


def plain(value: object) -> Text:
    """A table cell or line of article-derived text: control characters replaced, never read as markup."""
    return Text(terminal_safe(value))
