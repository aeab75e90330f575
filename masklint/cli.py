"""The ``masklint`` command.

``masklint [OPTIONS] [PATHS]...`` lints (the default command, also spelled ``masklint check``);
``masklint rule CODE``, ``masklint rules`` and ``masklint run SCRIPT [ARGS]...`` are
subcommands.  Only the *first* argument can name a subcommand: anything else (an option, a
path) starts a lint.  To lint a directory literally named like a subcommand, write
``masklint ./rules``, ``masklint -- rules`` or ``masklint check rules``.

Exit status: 0 clean, 1 findings (ML900 lines for unreadable, unparsable or not analysed files
-- nested too deeply, over the ``--file-timeout`` budget -- count as findings, like Ruff's E902
and syntax errors), 2 usage or configuration errors and internal errors (an exception inside
the analysis of a file, or a worker process that crashed on it, is reported as an ML900 line
for that file, the run goes on, and the exit status is 2, even with ``--exit-zero``).
"""
from __future__ import annotations

import os
import sys
from typing import List, NoReturn, Optional, Sequence, Tuple

import click

import masklint
from masklint.config import ConfigError, SelectionLayer, discover_settings, expand_selector, parse_seconds
from masklint.output import (OUTPUT_FORMATS, format_fixes, format_github, format_json, format_rules_table,
                             format_sarif, format_settings, format_statistics, format_text, summary_text)
from masklint.rules.base import all_rules, get_rule

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULT_COMMAND = "check"


def fail(message: str) -> NoReturn:
    click.echo(f"masklint: error: {message}", err=True)
    sys.exit(2)


class MaskLintGroup(click.Group):
    """A group whose default command is ``check``: a first argument that is not a subcommand
    name (``src/``, ``--select``, ``-h``, nothing) is handed to ``check``."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if not args or args[0] not in self.commands:
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


class CheckCommand(click.Command):
    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("masklint", "[OPTIONS] [PATHS]...")
        formatter.write_usage("masklint", "COMMAND [ARGS]...", prefix="   or: ")

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        group = ctx.parent.command if ctx.parent else None
        if isinstance(group, click.Group):
            rows = [(name, cmd.get_short_help_str(70)) for name, cmd in group.commands.items()]
            with formatter.section("Commands"):
                formatter.write_dl(rows)
        super().format_epilog(ctx, formatter)


def _selectors(option: str, values: Sequence[str]) -> Optional[Tuple[str, ...]]:
    if not values:
        return None
    out = []
    for value in values:
        for sel in value.split(","):
            sel = sel.strip()
            if not sel:
                continue
            try:
                expand_selector(sel)
            except ValueError as exc:
                fail(f"{option}: {exc}")
            out.append(sel.upper())
    return tuple(out)


@click.group(cls=MaskLintGroup, context_settings=CONTEXT)
@click.version_option(masklint.__version__, "--version", prog_name="masklint", message="%(prog)s %(version)s")
def cli() -> None:
    """Find attention-mask bugs in PyTorch code."""


@cli.command(DEFAULT_COMMAND, cls=CheckCommand, context_settings=CONTEXT,
             epilog="A directory named like a command is linted with `masklint ./rules` or `masklint -- rules`.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", "--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="text",
              show_default=True,
              help="full: each finding with its source line, help, evidence and mask picture; concise: one line "
                   "each; text: full on a terminal, else concise.")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Comma-separated codes or prefixes (ML1, ML10, ALL) to enable; replaces the configured selection.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Codes or prefixes to enable on top of the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Codes or prefixes to disable.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Show the number of findings per code instead of the findings.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the .masklint_cache/ directory.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--file-timeout", type=float, default=None, metavar="SECONDS",
              help="Time budget per file; a file over it is reported as ML900 'not analysed' "
                   "(default: file-timeout in [tool.masklint], else 60; 0: no limit).")
@click.option("--config", "config", multiple=True, metavar="FILE | KEY=VALUE",
              help="A configuration file (pyproject.toml with [tool.masklint], or a masklint.toml), or a "
                   "setting that overrides it, in TOML: --config \"ignore = ['ML205']\" (repeatable).")
@click.option("--show-source/--no-show-source", default=None,
              help="Show the source line under each finding (default: on a terminal).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes that findings carry.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply fixes that change results (every masklint fix does: it fixes a bug).")
@click.option("--diff", is_flag=True, help="Print the fixes as a diff instead of writing them.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied (with --fix) or available.")
@click.option("--add-noqa", is_flag=True,
              help="Add a `# masklint: ignore[CODE]` comment to every line with a finding (to adopt masklint "
                   "on an existing code base).")
@click.option("--force-exclude", is_flag=True, help="Apply exclude patterns to files named on the command line too.")
@click.option("--stdin-filename", default=None, metavar="PATH",
              help="With PATH '-': the name of the file whose source is read from standard input.")
@click.option("--show-settings", is_flag=True, help="Print the settings masklint would use, and exit.")
@click.option("--show-files", is_flag=True, help="Print the files masklint would lint, and exit.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colored output; auto: on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).")
@click.option("--quiet", "-q", count=True, help="-q: no summary line; -qq: no output at all.")
@click.version_option(masklint.__version__, "--version", prog_name="masklint", message="%(prog)s %(version)s")
def check(paths, fmt, output_file, select, extend_select, ignore, exit_zero, statistics, no_cache, jobs,
          file_timeout, config, show_source, fix, unsafe_fixes, diff, show_fixes, add_noqa, force_exclude,
          stdin_filename, show_settings, show_files, color, quiet) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    from masklint.runner import lint_paths  # the engine (libcst) loads only when linting

    paths = list(paths) or (["-"] if stdin_filename is not None else ["."])  # as Ruff: a name alone reads stdin
    if stdin_filename is not None and paths != ["-"]:
        fail("--stdin-filename names the source read from standard input: pass '-' as the only path")
    # A path named on the command line that does not exist is a usage error (exit 2), as in Ruff;
    # the other paths are still linted.
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    for p in missing:
        click.echo(f"masklint: error: {p}: No such file or directory", err=True)
    paths = [p for p in paths if p not in missing]
    cli_layer = SelectionLayer("command line", _selectors("--select", select),
                               _selectors("--extend-select", extend_select) or (), _selectors("--ignore", ignore) or ())
    config_file, overrides = _config_options(config)
    try:
        where = [stdin_filename] if paths == ["-"] and stdin_filename else paths
        settings = discover_settings(where, config_file, overrides).finalize(cli_layer)
    except ConfigError as exc:
        fail(str(exc))
    if file_timeout is not None:
        try:
            settings.file_timeout = parse_seconds(file_timeout)
        except ValueError as exc:
            fail(f"--file-timeout: {exc}")
    out = Output(output_file)
    if show_settings:
        out.echo(format_settings(settings))
        sys.exit(2 if missing else 0)
    if show_files:
        from masklint.files import discover, display_path

        out.echo("".join(display_path(f) + "\n" for f in discover(paths, settings, force_exclude).files))
        sys.exit(2 if missing else 0)
    if statistics and fmt in ("sarif", "github"):
        fail(f"--statistics prints a table (text) or JSON, not {fmt}")
    if add_noqa and (fix or diff or paths == ["-"]):
        fail("--add-noqa works on files, without --fix or --diff")

    fix_mode = "diff" if diff else ("fix" if fix else None)
    if paths == ["-"]:
        if fix_mode:
            fail("--fix and --diff do not work on standard input")
        from masklint.runner import lint_stdin

        run = lint_stdin(sys.stdin.buffer.read(), stdin_filename, settings)
    else:
        if "-" in paths:
            fail("'-' (standard input) cannot be combined with other paths")
        run = lint_paths(paths, settings, jobs=jobs, use_cache=not no_cache, force_exclude=force_exclude,
                         fix=fix_mode, unsafe_fixes=unsafe_fixes)
    if add_noqa:
        from masklint.runner import add_noqa as add_comments

        added, errors = add_comments(run.diagnostics)
        for path, why in errors:
            click.echo(f"masklint: warning: {path}: no comments added: {why}", err=True)
        if quiet < 2:
            click.echo(f"Added {added} masklint: ignore comment{'s' if added != 1 else ''}.", err=True)
        sys.exit(2 if run.internal_errors or missing else 0)

    if run.files_checked == 0 and quiet < 2 and not missing:
        click.echo("masklint: warning: No Python files found under the given path(s)", err=True)
    for f in run.fixes:
        if f.error and quiet < 2:
            click.echo(f"masklint: warning: {f.path}: not fixed: {f.error}", err=True)
    diags = run.diagnostics
    fixed = [d for f in run.fixes for d in f.fixed]
    from masklint.runner import applicable

    unsafe_only = sum(1 for d in diags if d.fix and not applicable(d, unsafe_fixes)) if fix_mode else 0
    if quiet < 2:
        if fix_mode == "diff":
            out.echo("".join(f.diff for f in run.fixes))
            if quiet == 0 and fmt in ("text", "full", "concise"):
                n = run.fixed_count
                if n:
                    msg = f"Would fix {n} error{'s' if n != 1 else ''}" + (
                        f" ({_unsafe_hint(unsafe_only, more=True)})." if unsafe_only else ".")
                else:
                    msg = "No errors would be fixed" + (f": {_unsafe_hint(unsafe_only)}." if unsafe_only else ".")
                click.echo(msg, err=True)
        elif statistics:
            out.echo(format_statistics(diags, "json" if fmt == "json" else "text"))
        elif fmt == "json":
            out.echo(format_json(diags))
        elif fmt == "sarif":
            out.echo(format_sarif(diags))
        elif fmt == "github":
            out.echo(format_github(diags))
        else:
            tty = out.isatty()
            full = {"full": True, "concise": False}.get(fmt, tty if show_source is None else show_source)
            colored = output_file is None and _use_color(color, tty)  # a report file is never colored
            out.echo(format_text(diags, show_source=full, color=colored, unsafe_fixes=unsafe_fixes), color=colored)
            if quiet == 0:
                fixable = sum(1 for d in diags if applicable(d, unsafe_fixes))
                hidden = sum(1 for d in diags if d.fix) - fixable
                out.echo(summary_text(diags, fixable if not fix_mode else 0, fixed, hidden=hidden if not fix_mode else 0))
                if fix_mode == "fix" and unsafe_only:
                    out.echo(f"{_unsafe_hint(unsafe_only, more=bool(fixed)).capitalize()}.\n" if fixed
                             else f"No errors fixed: {_unsafe_hint(unsafe_only)}.\n")
        if show_fixes and quiet == 0 and fix_mode != "diff":
            out.echo(format_fixes(fixed if fix_mode else [d for d in diags if d.fix], applied=bool(fix_mode),
                                  unsafe_fixes=unsafe_fixes))
    out.close()

    if run.internal_errors or missing:
        sys.exit(2)
    if exit_zero:
        sys.exit(0)
    if fix_mode == "diff":
        sys.exit(1 if run.fixed_count else 0)
    sys.exit(1 if diags else 0)


def _unsafe_hint(n: int, more: bool = False) -> str:
    return f"{n}{' more' if more else ''} fix{'es' if n != 1 else ''} available with `--unsafe-fixes`"


def _use_color(choice: str, tty: bool) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false", "no"):
        return True
    return tty


def _config_options(values: Sequence[str]) -> Tuple[Optional[str], dict]:
    """``--config`` values: at most one file, and TOML ``KEY = VALUE`` overrides (Ruff's --config)."""
    from masklint.config import tomllib

    config_file = None
    overrides: dict = {}
    for value in values:
        if "=" not in value or os.path.isfile(value):
            if config_file is not None:
                fail("--config: give one configuration file (and any number of KEY=VALUE settings)")
            config_file = value
            continue
        try:
            overrides.update(tomllib.loads(value))
        except tomllib.TOMLDecodeError as exc:
            fail(f"--config {value!r}: not a TOML `KEY = VALUE` setting ({exc}); strings need quotes: "
                 "--config \"ignore = ['ML205']\"")
    return config_file, overrides


class Output:
    """Where the report goes: standard output, or ``--output-file`` (written when the run ends)."""

    def __init__(self, path: Optional[str]):
        self.path = path
        self.parts: List[str] = []

    def isatty(self) -> bool:
        return self.path is None and sys.stdout.isatty()

    def echo(self, text: str, color: bool = False) -> None:
        if self.path is None:
            if text:
                click.echo(text, nl=False, color=color or None)  # None: click strips codes off a terminal
        elif text:
            self.parts.append(text)

    def close(self) -> None:
        if self.path is None:
            return
        from pathlib import Path

        from masklint.cache import atomic_write_bytes

        try:
            target = Path(os.path.abspath(self.path))
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, "".join(self.parts).encode("utf-8"))
        except OSError as exc:
            fail(f"--output-file {self.path}: {exc.strerror or exc}")


@cli.command("rule", context_settings=CONTEXT)
@click.argument("code")
def rule(code: str) -> None:
    """Explain a rule: print its page.  CODE is a code (ML101) or a name (keep-mask-to-block-api)."""
    from masklint.pages import read_page

    r = get_rule(code)
    if r is None:
        fail(f"unknown rule {code!r}: give a code (ML101) or a name (keep-mask-to-block-api); `masklint rules` lists them")
    page = read_page(r.code)
    if page is None:
        page = f"# {r.code} ({r.name})\n\n{r.summary}\n"
    click.echo(page if page.endswith("\n") else page + "\n", nl=False)


@cli.command("rules", context_settings=CONTEXT)
@click.option("--output-format", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules(fmt: str) -> None:
    """List the rules: code, name, severity, default or opt-in, summary."""
    if fmt == "json":
        import json

        rows = [{"code": r.code, "name": r.name, "severity": r.severity, "default": bool(r.default),
                 "runtime_only": bool(r.runtime_only), "summary": r.summary} for r in all_rules()]
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(format_rules_table(), nl=False)


class RunCommand(click.Command):
    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("masklint run", "[OPTIONS] SCRIPT [ARGS]...")
        formatter.write_usage("masklint run", "[OPTIONS] -m MODULE [ARGS]...", prefix="   or: ")


@cli.command("run", cls=RunCommand,
             context_settings={**CONTEXT, "ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("-m", "module", default=None, metavar="MODULE",
              help="Run a module (like `python -m MODULE`) instead of a script.")
@click.option("--mode", type=click.Choice(["collect", "warn", "raise"]), default="collect", show_default=True,
              help="collect: report when the program ends; warn: also a MaskLintWarning at each new finding; "
                   "raise: stop at the first confirmed finding (MaskLintError).")
@click.option("--report-file", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="Also write the findings to PATH as JSON.")
@click.option("--nproc-per-node", type=click.IntRange(min=1), default=None, metavar="N",
              help="Launch N processes with torch.distributed.run (torchrun --standalone) and print one "
                   "report naming the ranks where each finding occurred.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run(module: Optional[str], mode: str, report_file: Optional[str], nproc_per_node: Optional[int],
        args: Tuple[str, ...]) -> None:
    """Run SCRIPT (or -m MODULE) with ARGS under the runtime checker (masklint.instrument()).

    Every attention call is checked on its real tensors and findings are confirmed by experiment,
    without changing the program's results.  The report goes to standard error when the program
    ends.  Exit status: 1 if a finding was confirmed, else the program's own.  Options go before
    SCRIPT; everything after it is the program's.

    Distributed: with --nproc-per-node, masklint launches the ranks itself and merges their
    reports.  Under a plain `torchrun ... -m masklint run SCRIPT`, each rank writes its findings to
    a report file and keeps the program's exit status; rank 0 prints the merged report (docs/runtime.md)."""
    try:
        from masklint.runtime.runner import run_script
    except Exception as exc:  # noqa: BLE001 - ImportError, or torch missing or broken
        fail(f"the runtime checker is unavailable: {type(exc).__name__}: {exc}")
    argv = ["-m", module, *args] if module else list(args)
    if nproc_per_node:
        sys.exit(_launch_ranks(nproc_per_node, argv, mode, report_file))
    sys.exit(run_script(argv, mode=mode, report_file=report_file))


def _launch_ranks(nproc: int, argv: List[str], mode: str, report_file: Optional[str]) -> int:
    """``masklint run --nproc-per-node N``: torchrun --standalone with every rank under ``masklint
    run``, each writing its report file into a fresh directory; then one merged report."""
    import shutil
    import subprocess
    import tempfile

    from masklint.runtime import ranks

    if not argv or (argv[0] == "-m" and len(argv) < 2):
        fail("masklint run --nproc-per-node N needs a SCRIPT or -m MODULE")
    directory = tempfile.mkdtemp(prefix="masklint-ranks-")
    env = {**os.environ, ranks.REPORT_DIR_ENV: directory, ranks.QUIET_ENV: "files"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={nproc}",
           "-m", "masklint", "run", "--mode", mode, *argv]
    try:
        status = subprocess.call(cmd, env=env)
        merged = ranks.merge(ranks.report_files([directory]))
        merged.world_size = max(merged.world_size, nproc)
        click.echo(merged.report(), err=True)
        if report_file:
            try:
                ranks.write_report(report_file, merged.findings, merged.notes, merged.errors)
            except OSError as exc:
                fail(f"--report-file {report_file}: {exc.strerror or exc}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 1 if merged.confirmed else status


@cli.command("report", context_settings=CONTEXT)
@click.argument("targets", nargs=-1, required=True, type=click.Path(exists=True))
def report(targets: Tuple[str, ...]) -> None:
    """Merge the report files of a distributed `masklint run` (directories are searched for
    rank-*.json) and print one report.  Exit status: 1 if a finding was confirmed."""
    from masklint.runtime import ranks  # torch-free

    files = ranks.report_files(targets)
    if not files:
        fail("no rank-*.json report files under " + ", ".join(targets))
    merged = ranks.merge(files)
    click.echo(merged.report())
    sys.exit(1 if merged.confirmed else 0)


@cli.command("server", context_settings=CONTEXT)
def server() -> None:
    """Run the language server (LSP over stdio) for editors; needs `pip install masklint[lsp]`."""
    try:
        from masklint.lsp import main as serve
    except ImportError as exc:
        fail(f"the language server needs pygls: pip install 'masklint[lsp]' ({exc})")
    serve()


def main(argv: Optional[List[str]] = None) -> None:
    try:
        cli.main(args=argv, prog_name="masklint")
    except BrokenPipeError:  # `masklint src | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - never a traceback, unless asked for
        if os.environ.get("MASKLINT_DEBUG"):
            raise
        click.echo(f"masklint: error: internal error: {type(exc).__name__}: {exc} "
                   f"(MASKLINT_DEBUG=1 shows the traceback; please report it)", err=True)
        sys.exit(2)
