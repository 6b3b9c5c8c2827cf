"""A one-character look-ahead for large regular expressions.

Python's regex engine tries every alternative at every position. Prefixing an alternative with the set
of characters it can begin with ("(?=[bcs])") lets the engine skip it at once where it cannot match:
the same matches, two to three times faster on the trigger lexicon.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser the re module itself uses (stable since Python 3.11)
from re import _parser as sre_parser

# Character classes a first character may be given by, as written inside [...]: with_lookahead keeps them
# whole (\d is every Unicode decimal digit, not 0-9), so the look-ahead lets through exactly what they match.
CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}


def first_chars(pattern: str, categories: bool = False) -> set[str] | None:
    r"""The characters a match of `pattern` can begin with, or None when that is not simple to know.
    With `categories`, the set may also hold the classes of CATEGORIES (r"\d", ...), for with_lookahead."""
    try:
        return first_of(list(sre_parser.parse(pattern)), categories)
    except Exception:  # an unusual construct: no look-ahead, same matches
        return None


def first_of(items, categories: bool = False) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op == sre.LITERAL:
            return out | {chr(av)}
        if op == sre.IN:
            for o, a in av:
                if o == sre.LITERAL:
                    out.add(chr(a))
                elif o == sre.RANGE:
                    out.update(chr(c) for c in range(a[0], a[1] + 1))
                elif categories and o == sre.CATEGORY and a in CATEGORIES:
                    out.add(CATEGORIES[a])
                else:
                    return None
            return out
        if op == sre.BRANCH:
            for alternative in av[1]:
                f = first_of(list(alternative), categories)
                if f is None:
                    return None
                out |= f
            return out
        if op == sre.SUBPATTERN:
            if av[1] or av[2]:
                return None  # "(?i:...)", "(?-i:...)": the look-ahead would be read with other flags
            f = first_of(list(av[-1]), categories)
            return None if f is None else out | f
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, _, sub = av
            f = first_of(list(sub), categories)
            if f is None:
                return None
            out |= f
            if low > 0:
                return out
            continue  # an optional prefix: what follows may start the match too
        if op == sre.AT:
            continue
        return None
    return out


def with_lookahead(pattern: str) -> str:
    """`pattern` behind a look-ahead for its possible first characters (unchanged when unknown)."""
    firsts = first_chars(pattern, categories=True)
    if not firsts:
        return pattern
    classes = "".join(sorted(c for c in firsts if c in CATEGORIES.values()))
    return f"(?=[{re.escape(''.join(sorted(firsts - set(CATEGORIES.values()))))}{classes}]){pattern}"


def behind_lookahead(pattern: re.Pattern) -> re.Pattern:
    """The same pattern, flags and matches, behind a look-ahead for its first characters: for a pattern that
    starts with a word boundary and many alternatives, which the engine otherwise tries at every position
    (CUE_FIRST: 0.37 -> 0.11 ms per FA-KES article). Not for one that starts with a plain literal: the engine
    finds those faster by itself."""
    return re.compile(with_lookahead(pattern.pattern), pattern.flags)
