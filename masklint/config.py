"""``[tool.masklint]`` configuration and rule selection.

Discovery: the first ``pyproject.toml`` with a ``[tool.masklint]`` table, walking up from the
first path on the command line (or the current directory).  Its directory is the *project
root*: exclude and per-file-ignores patterns are relative to it, and the cache lives there.
``--config FILE`` names the file instead (a ``pyproject.toml``, or any other TOML file whose
top level holds the same keys, e.g. ``masklint.toml``).

Selection follows Ruff: the configuration is one layer and the command line a second one.
In each layer ``select`` (when given) replaces the set so far, ``extend-select`` adds to it and
``ignore`` removes from it; a code is decided by the most specific selector in the layer that
matches it (``ignore = ["ML1"]`` + ``extend-select = ["ML101"]`` keeps ML101), ties going to
``ignore``.  Selectors are full codes, prefixes (``ML1``, ``ML10``) or ``ALL``.  ML900 (a file
that cannot be read or parsed) is always reported unless a selector other than ``ALL`` ignores
it.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from masklint.rules.base import all_rules

PARSE_ERROR_CODE = "ML900"
POLARITIES = ("keep", "block", "additive")
DEFAULT_FILE_TIMEOUT = 60.0  # seconds per file; a file over it is one ML900 line ("not analysed")

# Directory and file names never walked into (matched at any depth), like Ruff's defaults.
DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".masklint_cache", ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype",
    ".ruff_cache", ".svn", ".tox", ".venv", ".vscode", "__pycache__", "__pypackages__", "_build",
    "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
)


class ConfigError(Exception):
    """A configuration problem; ``str()`` is the one-line ``<file>: <why>`` the CLI prints."""

    def __init__(self, source: str, why: str):
        super().__init__(f"{source}: {why}")
        self.source = source
        self.why = why


# --------------------------------------------------------------------------- selection
def static_codes() -> List[str]:
    return [r.code for r in all_rules() if not r.runtime_only]


def expand_selector(selector: str) -> FrozenSet[str]:
    """The codes a selector names; ``ValueError`` when it names no rule at all."""
    sel = selector.strip().upper()
    if sel == "ALL":
        return frozenset(static_codes())
    matched = frozenset(r.code for r in all_rules() if r.code.startswith(sel)) if sel else frozenset()
    if not matched:
        raise ValueError(f"unknown rule code or prefix {selector.strip()!r}")
    return matched


def _specificity(selector: str) -> int:
    return -1 if selector.upper() == "ALL" else len(selector)


@dataclass(frozen=True)
class SelectionLayer:
    source: str  # where the selectors come from, for error messages ("--select", a file)
    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()

    def validate(self) -> None:
        for name, selectors in (("select", self.select or ()), ("extend-select", self.extend_select),
                                ("ignore", self.ignore)):
            for sel in selectors:
                try:
                    expand_selector(sel)
                except ValueError as exc:
                    raise ConfigError(self.source, f"{name}: {exc}") from None

    def apply(self, enabled: set) -> set:
        decisions: Dict[str, Tuple[int, bool]] = {}  # code -> (specificity, enable)
        for selectors, enable in ((self.select or ()), True), (self.extend_select, True), (self.ignore, False):
            for sel in selectors:
                spec = _specificity(sel)
                for code in expand_selector(sel):
                    prev = decisions.get(code)
                    if prev is None or spec > prev[0] or (spec == prev[0] and not enable):
                        decisions[code] = (spec, enable)
        result = set() if self.select is not None else set(enabled)
        for code, (_, enable) in decisions.items():
            (result.add if enable else result.discard)(code)
        return result

    def ignores_parse_errors(self) -> bool:
        return any(sel.upper() != "ALL" and PARSE_ERROR_CODE in expand_selector(sel) for sel in self.ignore)


def default_codes() -> FrozenSet[str]:
    return frozenset(r.code for r in all_rules() if r.default and not r.runtime_only)


def resolve_selection(layers: Sequence[SelectionLayer]) -> FrozenSet[str]:
    enabled = set(default_codes())
    for layer in layers:
        layer.validate()
        enabled = layer.apply(enabled)
    if not any(layer.ignores_parse_errors() for layer in layers):
        enabled.add(PARSE_ERROR_CODE)
    return frozenset(enabled)


# --------------------------------------------------------------------------- settings
@functools.lru_cache(maxsize=None)
def compile_patterns(patterns: Tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


@dataclass
class Settings:
    """Everything that shapes a run.  Picklable: it travels to the worker processes.

    The engine reads ``project.settings.mask_helpers``: ``{"pkg.mod.func": "keep"|"block"|
    "additive"}``, helpers whose return value is a mask of that polarity.
    """

    root: Path = field(default_factory=Path.cwd)
    config_path: Optional[Path] = None
    select: Optional[List[str]] = None
    extend_select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)
    exclude: Optional[List[str]] = None  # None: DEFAULT_EXCLUDE
    extend_exclude: List[str] = field(default_factory=list)
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    mask_helpers: Dict[str, str] = field(default_factory=dict)
    force_exclude: bool = False
    respect_gitignore: bool = True
    file_timeout: float = DEFAULT_FILE_TIMEOUT  # 0: no limit
    enabled: FrozenSet[str] = field(default_factory=frozenset)  # resolved by ``finalize``

    # -- building -------------------------------------------------------------------------
    def finalize(self, cli: Optional[SelectionLayer] = None) -> "Settings":
        """Resolve the enabled codes from this configuration plus the command line layer."""
        source = str(self.config_path) if self.config_path else "configuration"
        layers = [SelectionLayer(source, tuple(self.select) if self.select is not None else None,
                                 tuple(self.extend_select), tuple(self.ignore))]
        if cli is not None:
            layers.append(cli)
        self.enabled = resolve_selection(layers)
        return self

    # -- queries --------------------------------------------------------------------------
    @property
    def exclude_patterns(self) -> Tuple[str, ...]:
        base = DEFAULT_EXCLUDE if self.exclude is None else tuple(self.exclude)
        return base + tuple(self.extend_exclude)

    def relative(self, path: str) -> Optional[str]:
        """``path`` relative to the project root (posix), or None when outside it."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.root)
        except ValueError:
            return None
        return rel.as_posix()

    def is_excluded(self, path: str, is_dir: bool = False, base: Optional[str] = None) -> bool:
        """Whether ``exclude`` + ``extend-exclude`` match ``path`` (relative to ``base``,
        default the project root; a path outside it is matched by its name)."""
        if base is not None:
            rel: Optional[str] = Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
        else:
            rel = self.relative(path)
        if rel is None or rel == "." or rel.startswith("../"):
            rel = Path(os.path.abspath(path)).name
        return compile_patterns(self.exclude_patterns).match_file(rel + ("/" if is_dir else ""))

    def ignored_for(self, path: str) -> FrozenSet[str]:
        """Codes switched off for ``path`` by per-file-ignores."""
        if not self.per_file_ignores:
            return frozenset()
        rel = self.relative(path) or Path(path).name
        codes: set = set()
        for pattern, selectors in self.per_file_ignores.items():
            if compile_patterns((pattern,)).match_file(rel):
                for sel in selectors:
                    codes |= expand_selector(sel)
        return frozenset(codes)

    def fingerprint(self) -> str:
        """A hash of everything that changes a file's reported diagnostics."""
        blob = json.dumps([sorted(self.enabled), self.per_file_ignores, self.mask_helpers,
                           str(self.root)], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- loading
_KEYS = {
    "select": "codes", "extend-select": "codes", "ignore": "codes",
    "exclude": "patterns", "extend-exclude": "patterns",
    "per-file-ignores": "table", "mask-helpers": "table",
    "force-exclude": "bool", "respect-gitignore": "bool",
    "file-timeout": "seconds",
}
_DOTTED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def parse_seconds(value: Any) -> float:
    """A ``file-timeout``: a number of seconds >= 0 (0: no limit)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("expected a number of seconds")
    if not value >= 0 or value == float("inf"):  # also rejects NaN
        raise ValueError("expected a number of seconds >= 0 (0: no limit)")
    return float(value)


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), f"invalid TOML: {exc}") from None


def find_config(start: Path) -> Optional[Path]:
    """The nearest ``pyproject.toml`` at or above ``start`` with a ``[tool.masklint]`` table."""
    start = Path(os.path.abspath(start))
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and "masklint" in _tool_table(_read_toml(candidate), candidate):
            return candidate
    return None


def _tool_table(data: Dict[str, Any], path: Path) -> Dict[str, Any]:
    """pyproject.toml's ``[tool]`` table; a ``tool`` key that is not a table is an error."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(str(path), f"tool: expected a table ([tool.masklint]), got {type(tool).__name__}")
    return tool


def _string_list(value: Any, where: str, src: str) -> List[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(src, f"{where}: expected a list of strings")
    return list(value)


def parse_table(table: Dict[str, Any], src: str, root: Path) -> Settings:
    """Validate a ``[tool.masklint]`` table into :class:`Settings` (selection not resolved)."""
    if not isinstance(table, dict):
        raise ConfigError(src, "[tool.masklint] must be a table")
    settings = Settings(root=root, config_path=Path(src))
    for key, value in table.items():
        kind = _KEYS.get(key)
        if kind is None:
            hint = f" (did you mean {key.replace('_', '-')!r}?)" if key.replace("_", "-") in _KEYS else ""
            raise ConfigError(src, f"unknown key {key!r} in [tool.masklint]{hint}")
        attr = key.replace("-", "_")
        if kind == "bool":
            if not isinstance(value, bool):
                raise ConfigError(src, f"{key}: expected true or false")
            setattr(settings, attr, value)
        elif kind == "seconds":
            try:
                settings.file_timeout = parse_seconds(value)
            except ValueError as exc:
                raise ConfigError(src, f"{key}: {exc}") from None
        elif kind in ("codes", "patterns"):
            setattr(settings, attr, _string_list(value, key, src))
        elif not isinstance(value, dict):
            raise ConfigError(src, f"{key}: expected a table")
        elif key == "per-file-ignores":
            pfi = {}
            for pattern, codes in value.items():
                codes = _string_list(codes, f"{key}.{pattern!r}", src)
                if len(codes) == 1 and "," in codes[0]:
                    codes = [c for c in codes[0].split(",") if c.strip()]
                for code in codes:
                    try:
                        expand_selector(code)
                    except ValueError as exc:
                        raise ConfigError(src, f"{key}.{pattern!r}: {exc}") from None
                pfi[pattern] = [c.strip().upper() for c in codes]
            settings.per_file_ignores = pfi
        else:  # mask-helpers
            helpers = {}
            for name, polarity in value.items():
                if not _DOTTED_NAME.match(name):
                    raise ConfigError(src, f"{key}: {name!r} is not a dotted function name")
                if not isinstance(polarity, str) or polarity.lower() not in POLARITIES:
                    raise ConfigError(src, f"{key}.{name!r}: polarity must be one of {', '.join(POLARITIES)}")
                helpers[name] = polarity.lower()
            settings.mask_helpers = helpers
    settings.finalize()  # validates the codes; the CLI finalizes again with its own layer
    return settings


def _config_table(path: Path) -> Dict[str, Any]:
    path = Path(os.path.abspath(path))
    data = _read_toml(path)
    return _tool_table(data, path).get("masklint", {}) if path.name == "pyproject.toml" else data


def load_config(path: Path, overrides: Optional[Dict[str, Any]] = None) -> Settings:
    path = Path(os.path.abspath(path))
    table = _config_table(path)
    if overrides:
        if not isinstance(table, dict):
            raise ConfigError(str(path), "[tool.masklint] must be a table")
        table = {**table, **overrides}
    return parse_table(table, str(path), path.parent)


def discover_settings(paths: Iterable[str], config: Optional[str] = None,
                      overrides: Optional[Dict[str, Any]] = None) -> Settings:
    """Settings for a run on ``paths``: from ``config`` if given, else discovered; defaults
    otherwise.  ``overrides`` (``--config KEY=VALUE``) replace keys of that table."""
    if overrides:
        parse_table(overrides, "--config", Path.cwd())  # its own errors name --config
    if config is not None:
        if not os.path.isfile(config):
            raise ConfigError(config, "No such file or directory")
        return load_config(Path(config), overrides)
    first = next(iter(paths), ".")
    start = Path(os.path.abspath(first))
    while not start.exists() and start != start.parent:
        start = start.parent
    if not start.is_dir():
        start = start.parent
    found = find_config(start)
    if found is not None:
        return load_config(found, overrides)
    if overrides:
        settings = parse_table(overrides, "--config", Path.cwd())
        settings.config_path = None
        return settings
    return Settings(root=Path.cwd()).finalize()
