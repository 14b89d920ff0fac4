"""User-given regular expressions, admitted only in a shape whose matching time stays small.

Python's `re` has no timeout and holds the GIL while it backtracks, so a pattern like `(a+)+$` could stall
the process. A pattern is accepted only when it is at most `PATTERN_MAX` characters, has no backreference,
no repeated group that itself holds a repetition or an alternation, at most `REPEATS_MAX` repetitions and
at most `BRANCHES_MAX` alternative paths (`BRANCHES_WITH_REPEATS_MAX` with `REPEATS_MAX` repetitions); and it
only ever sees the first `SUBJECT_MAX` characters of a name. Together these bound one match to about a
millisecond in the worst case (measured: `.*(a|a|a|a)(a|a|a|a)x`, `.*(a|a).*x` on 100 characters).
"""

import re

from domain.shared.errors import InvalidValue

PATTERN_MAX = 200
SUBJECT_MAX = 100
REPEATS_MAX = 2
BRANCHES_MAX = 16
BRANCHES_WITH_REPEATS_MAX = 2  # alternative paths allowed alongside REPEATS_MAX repetitions
_BOUNDED = re.compile(r"\{(\d*)(,?)(\d*)\}")


def compile_pattern(value: object, field: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """Return the compiled pattern, or raise InvalidValue naming `field` and the reason."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field, "must be a non-empty regular expression")
    if len(value) > PATTERN_MAX:
        raise InvalidValue(field, f"must be at most {PATTERN_MAX} characters")
    _check_shape(value, field)
    try:
        return re.compile(value, re.IGNORECASE if ignore_case else 0)
    except (re.error, OverflowError, RecursionError) as error:
        raise InvalidValue(field, f"is not a valid regular expression ({error})") from None


def search(pattern: re.Pattern[str], subject: str) -> bool:
    """Whether the pattern occurs in the subject's first SUBJECT_MAX characters."""
    return pattern.search(subject[:SUBJECT_MAX]) is not None


class _Group:
    __slots__ = ("branches", "paths", "repeats_inside", "alternates_inside")

    def __init__(self) -> None:
        self.branches = 1  # alternatives at this level
        self.paths = 1  # product of the alternatives of groups closed inside the current branch
        self.repeats_inside = False
        self.alternates_inside = False


def _check_shape(pattern: str, field: str) -> None:
    stack = [_Group()]
    repeats, last, i = 0, "none", 0
    closed: _Group | None = None
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 < len(pattern) and pattern[i + 1] in "123456789":
                raise InvalidValue(field, "must not use backreferences")
            i, last = i + 2, "atom"
        elif char == "[":
            i, last = _class_end(pattern, i), "atom"
        elif char == "(":
            if pattern.startswith(("(?P=", "(?("), i):
                raise InvalidValue(field, "must not use backreferences")
            stack.append(_Group())
            i, last = i + 1, "none"
        elif char == ")":
            if len(stack) == 1:
                raise InvalidValue(field, "is not a valid regular expression (unbalanced parenthesis)")
            closed = stack.pop()
            parent = stack[-1]
            parent.paths *= closed.branches * closed.paths
            parent.repeats_inside |= closed.repeats_inside
            parent.alternates_inside |= closed.alternates_inside or closed.branches > 1
            i, last = i + 1, "group"
        elif char == "|":
            stack[-1].branches += 1
            i, last = i + 1, "none"
        elif char in "*+?" or (char == "{" and _BOUNDED.match(pattern, i)):
            i, many = _quantifier_end(pattern, i)
            if last == "group" and closed is not None and (
                closed.repeats_inside or closed.alternates_inside or closed.branches > 1
            ):
                raise InvalidValue(field, "must not repeat a group that holds a repetition or an alternation")
            if many:
                repeats += 1
                stack[-1].repeats_inside = True
            last = "none"
        else:
            i, last = i + 1, "atom"
        if repeats > REPEATS_MAX:
            raise InvalidValue(field, f"must have at most {REPEATS_MAX} repetitions (*, +, {{m,n}})")
        if any(g.branches * g.paths > BRANCHES_MAX for g in stack):
            raise InvalidValue(field, f"must have at most {BRANCHES_MAX} alternative paths")
    top = stack[0]
    if repeats == REPEATS_MAX and top.branches * top.paths > BRANCHES_WITH_REPEATS_MAX:
        raise InvalidValue(field, f"must have at most {BRANCHES_WITH_REPEATS_MAX} alternative paths with "
                                  f"{REPEATS_MAX} repetitions")


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class that opens at `start`."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _quantifier_end(pattern: str, start: int) -> tuple[int, bool]:
    """The index after the quantifier at `start`, and whether it may repeat a varying number of times."""
    bounded = _BOUNDED.match(pattern, start) if pattern[start] == "{" else None
    if bounded is not None:
        _, comma, high = bounded.groups()
        many, end = bool(comma) and (not high or int(high) > 1), bounded.end()
    else:
        many, end = pattern[start] != "?", start + 1
    if end < len(pattern) and pattern[end] in "?+":
        end += 1  # lazy or possessive
    return end, many
