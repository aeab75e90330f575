"""LibCST, imported on first use.

Every module of the analysis writes ``from masklint._libcst import cst`` instead of
``import libcst as cst``: importing masklint (the CLI, the rule registry, the flake8 plugin)
then costs no LibCST import, which is most of a one-file run's start-up; a file that cannot
hold a mask is checked by CPython's parser alone and never loads LibCST
(benchmarks/lint_speed.py, "one file").  The first attribute read imports LibCST and copies its
names into this module object, so every later ``cst.Name`` is a plain attribute lookup.
"""
from __future__ import annotations

import importlib
import types


class _LazyLibCST(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        real = importlib.import_module("libcst")
        self.__dict__.update((k, v) for k, v in vars(real).items() if not k.startswith("__"))
        return getattr(real, name)


cst = _LazyLibCST("libcst")
