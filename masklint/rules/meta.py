from masklint.rules.base import Rule


class ParseError(Rule):
    """A file that cannot be read or parsed: reported once, and the run goes on."""

    code = "ML900"
    confirmed_by = ""
    analysis = False
    name = "parse-error"
    severity = "error"
    summary = "a file could not be read or parsed"


class UnusedSuppression(Rule):
    """A suppression comment that suppresses nothing, or names a code that does not exist
    (Ruff's RUF100).  Reported by the runner after suppression, with a safe fix that removes it."""

    code = "ML901"
    confirmed_by = ""
    analysis = False
    name = "unused-suppression"
    severity = "warning"
    summary = "a `# masklint: ignore[...]` (or the ML codes of a `# noqa`) that suppresses nothing"
