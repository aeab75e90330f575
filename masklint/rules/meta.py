from masklint.rules.base import Rule


class ParseError(Rule):
    """A file that cannot be read or parsed: reported once, and the run goes on."""

    code = "ML900"
    confirmed_by = ""
    analysis = False
    name = "parse-error"
    severity = "error"
    summary = "a file could not be read or parsed"
