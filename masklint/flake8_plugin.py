"""flake8 plugin: ``flake8 --select ML`` reports masklint's default rules.

flake8 only runs plugins that take ``tree``; this one ignores the tree and analyses the
source (``lines``) with the same engine as the ``masklint`` command.  ``# noqa`` is flake8's
business; ``# masklint: ignore[...]`` comments are honoured here too.  ``mask-helpers`` come
from the nearest ``[tool.masklint]`` table; the selection is always masklint's default one
(choose codes with flake8's own ``--select``/``--extend-ignore``).
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Iterator, List, Tuple, Type

import masklint
from masklint.config import ConfigError, Settings, default_codes, find_config, load_config


@functools.lru_cache(maxsize=64)
def _settings_for(directory: str) -> Settings:
    try:
        found = find_config(Path(directory))
        if found is not None:
            return load_config(found)
    except ConfigError:
        pass  # the masklint command reports configuration errors; flake8 runs with defaults
    return Settings(root=Path(directory)).finalize()


@functools.lru_cache(maxsize=64)
def _project_for(directory: str):
    from masklint.engine import Project

    settings = _settings_for(directory)
    project = Project([settings.root])
    project.settings = settings
    return project


class MaskLintFlake8:
    name = "masklint"
    version = masklint.__version__

    def __init__(self, tree, filename: str, lines: List[str]):
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[Tuple[int, int, str, Type["MaskLintFlake8"]]]:
        from masklint import engine
        from masklint.suppress import parse_suppressions

        source = "".join(self.lines)
        directory = os.path.dirname(os.path.abspath(self.filename)) if self.filename not in ("-", "stdin") else os.getcwd()
        try:
            result = engine.check_source(source, self.filename, _project_for(directory))
        except engine.ParseFailure:
            return  # flake8 reports E999 itself
        except Exception as exc:  # noqa: BLE001 - a masklint bug must not crash flake8
            yield 1, 0, f"ML900 internal error: {type(exc).__name__}: {exc}; please report this bug", type(self)
            return
        enabled = default_codes()
        suppressions = parse_suppressions(source)
        for d in sorted(result.diagnostics, key=lambda d: (d.line, d.column, d.code)):
            if d.code in enabled and not suppressions.suppresses(d):
                yield d.line, max(d.column - 1, 0), f"{d.code} {d.message}", type(self)
