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
from masklint.output import (FORMATS, format_github, format_json, format_rules_table, format_sarif,
                             format_statistics, format_text, summary_text)
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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
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
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (pyproject.toml with [tool.masklint], or a masklint.toml).")
@click.option("--show-source/--no-show-source", default=None,
              help="Show the source line under each finding (default: on a terminal).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes that findings carry.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply fixes that change results (every masklint fix does: it fixes a bug).")
@click.option("--diff", is_flag=True, help="Print the fixes as a diff instead of writing them.")
@click.option("--force-exclude", is_flag=True, help="Apply exclude patterns to files named on the command line too.")
@click.option("--stdin-filename", default=None, metavar="PATH",
              help="With PATH '-': the name of the file whose source is read from standard input.")
@click.option("--quiet", "-q", count=True, help="-q: no summary line; -qq: no output at all.")
@click.version_option(masklint.__version__, "--version", prog_name="masklint", message="%(prog)s %(version)s")
def check(paths, fmt, select, extend_select, ignore, exit_zero, statistics, no_cache, jobs, file_timeout,
          config_file, show_source, fix, unsafe_fixes, diff, force_exclude, stdin_filename, quiet) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    from masklint.runner import lint_paths  # the engine (libcst) loads only when linting

    paths = list(paths) or ["."]
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
    try:
        where = [stdin_filename] if paths == ["-"] and stdin_filename else paths
        settings = discover_settings(where, config_file).finalize(cli_layer)
    except ConfigError as exc:
        fail(str(exc))
    if file_timeout is not None:
        try:
            settings.file_timeout = parse_seconds(file_timeout)
        except ValueError as exc:
            fail(f"--file-timeout: {exc}")

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

    if run.files_checked == 0 and quiet < 2 and not missing:
        click.echo("masklint: warning: No Python files found under the given path(s)", err=True)
    for f in run.fixes:
        if f.error and quiet < 2:
            click.echo(f"masklint: warning: {f.path}: not fixed: {f.error}", err=True)
    diags = run.diagnostics
    if quiet < 2:
        if fix_mode == "diff":
            _echo("".join(f.diff for f in run.fixes))
            if quiet == 0 and fmt == "text":
                n = run.fixed_count
                click.echo(f"Would fix {n} error{'s' if n != 1 else ''}." if n else "No errors would be fixed.", err=True)
        elif statistics:
            _echo(format_statistics(diags, "json" if fmt == "json" else "text"))
        elif fmt == "json":
            _echo(format_json(diags))
        elif fmt == "sarif":
            _echo(format_sarif(diags))
        elif fmt == "github":
            _echo(format_github(diags))
        else:
            tty = sys.stdout.isatty()
            color = tty and "NO_COLOR" not in os.environ
            _echo(format_text(diags, show_source=tty if show_source is None else show_source, color=color,
                              unsafe_fixes=unsafe_fixes))
            if quiet == 0:
                from masklint.runner import applicable

                fixable = sum(1 for d in diags if applicable(d, unsafe_fixes))
                hidden = sum(1 for d in diags if d.fix) - fixable
                _echo(summary_text(diags, fixable if not fix_mode else 0, run.fixed_count, hidden=hidden))

    if run.internal_errors or missing:
        sys.exit(2)
    if exit_zero:
        sys.exit(0)
    if fix_mode == "diff":
        sys.exit(1 if run.fixed_count else 0)
    sys.exit(1 if diags else 0)


def _echo(text: str) -> None:
    if text:
        click.echo(text, nl=False)


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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List the rules: code, name, severity, default or opt-in, summary."""
    if fmt == "json":
        import json

        rows = [{"code": r.code, "name": r.name, "severity": r.severity, "default": bool(r.default),
                 "runtime_only": bool(r.runtime_only), "summary": r.summary} for r in all_rules()]
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(format_rules_table(), nl=False)


@cli.command("run", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("script")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run(script: str, args: Tuple[str, ...]) -> None:
    """Run a script under the runtime checker (masklint.instrument())."""
    try:
        from masklint.runtime.runner import run_script
    except Exception as exc:  # noqa: BLE001 - ImportError, or torch missing or broken
        fail(f"the runtime checker is unavailable: {type(exc).__name__}: {exc}")
    sys.exit(run_script([script, *args]))


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
