"""``masklint server``: the Language Server Protocol over stdio (pygls; ``pip install masklint[lsp]``).

* Diagnostics are published when a Python document is opened, changed (after a pause of
  ``DEBOUNCE`` seconds, from the editor's unsaved text) and saved.  Each carries its rule code,
  linked to the rule's page, and its evidence as related locations.
* Code actions: the finding's fix (masklint's fixes change results, so they are titled
  "unsafe", as ``--unsafe-fixes`` says) and a suppression comment for the line.
* Hover on a finding: its message, help, note, the evidence chain as numbered steps and the
  picture of the mask as the API reads it.

The configuration is the one ``masklint`` would use for the file (``[tool.masklint]``), and the
cross-module index of each project is kept between requests; a save drops it, so that other
files' edits are seen.  Columns are converted between Python's code points and the UTF-16 units
LSP counts in.  Notebooks are linted by the command line, not (yet) by the server.
"""
from __future__ import annotations

import asyncio
import os
import threading
from typing import Dict, List, Optional, Tuple

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

import masklint
from masklint.diagnostics import Diagnostic

DEBOUNCE = 0.3  # seconds after the last change before a document is linted again
SOURCE = "masklint"
PAGES_URL = "https://github.com/masklint/masklint/blob/main/rules/{code}.md"


class MaskLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("masklint", masklint.__version__, text_document_sync_kind=T.TextDocumentSyncKind.Full)
        self.results: Dict[str, List[Diagnostic]] = {}  # uri -> the findings last published
        self.projects: Dict[Tuple, object] = {}  # project roots -> engine.Project (its module index)
        self.pending: Dict[str, asyncio.Task] = {}
        self.lock = threading.Lock()

    # --- linting --------------------------------------------------------------------------
    def lint(self, uri: str, text: str) -> List[Diagnostic]:
        from masklint.config import ConfigError, discover_settings
        from masklint.runner import lint_source, make_project, project_roots

        path = to_fs_path(uri) or uri
        try:
            settings = discover_settings([path]).finalize()
        except ConfigError as exc:
            self.window_show_message(T.ShowMessageParams(T.MessageType.Error, f"masklint: {exc}"))
            return []
        roots = project_roots([path], settings)
        key = (tuple(str(r) for r in roots), settings.fingerprint())
        with self.lock:
            project = self.projects.get(key)
            if project is None:
                project = self.projects[key] = make_project(settings, roots)
            result = lint_source(text.encode("utf-8"), path, settings, project)
        for d in result.diagnostics:
            d.localize(lambda p: p)  # absolute: related locations need them (hover shortens them)
        return result.diagnostics

    def publish(self, uri: str) -> None:
        doc = self.workspace.get_text_document(uri)
        if not doc.uri.endswith((".py", ".pyi")) and doc.language_id not in ("python",):
            return
        text = doc.source
        if not uri.startswith("file:"):  # a notebook cell (vscode-notebook-cell:), an untitled buffer
            from masklint.notebook import ipython_to_python

            text = ipython_to_python(text)  # magics and shell lines are not Python (lines kept)
        diags = self.lint(uri, text)
        self.results[uri] = diags
        lines = doc.source.splitlines()
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
            uri=uri, version=doc.version, diagnostics=[to_lsp(d, lines) for d in diags]))

    def schedule(self, uri: str, delay: float) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            self.publish(uri)

        self.pending[uri] = asyncio.ensure_future(later())


# --- conversions --------------------------------------------------------------------------------
def _utf16(line: str, column: int) -> int:
    """A 0-based code-point column of ``line`` in UTF-16 units."""
    return len(line[:column].encode("utf-16-le")) // 2


def _position(lines: List[str], line: int, column: int) -> T.Position:
    """From masklint's 1-based line and code-point column."""
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    return T.Position(line=max(line - 1, 0), character=_utf16(text, max(column - 1, 0)))


def _range(lines: List[str], d: Diagnostic) -> T.Range:
    return T.Range(_position(lines, d.line, d.column), _position(lines, d.end_line, d.end_column))


def page_url(code: str) -> str:
    from masklint.pages import find_page

    page = find_page(code)
    return page.as_uri() if page is not None else PAGES_URL.format(code=code)


def to_lsp(d: Diagnostic, lines: List[str]) -> T.Diagnostic:
    related = []
    for i, step in enumerate(d.evidence, 1):
        if step.get("line") is None or not step.get("path"):
            continue
        loc = T.Location(uri=from_fs_path(os.path.abspath(step["path"])),
                         range=T.Range(T.Position(step["line"] - 1, 0), T.Position(step["line"] - 1, 0)))
        related.append(T.DiagnosticRelatedInformation(location=loc, message=f"{i}. {step['text']}"))
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    tags = [T.DiagnosticTag.Unnecessary] if d.code == "ML901" else None  # an unused suppression: greyed
    return T.Diagnostic(
        tags=tags,
        range=_range(lines, d), message=message, source=SOURCE, code=d.code,
        code_description=T.CodeDescription(href=page_url(d.code)),
        severity=T.DiagnosticSeverity.Error if d.severity == "error" else T.DiagnosticSeverity.Warning,
        related_information=related or None,
    )


def hover_markdown(d: Diagnostic) -> str:
    from masklint.diagnostics import evidence_text

    parts = [f"**{d.code}** ({d.name}): {d.message}"]
    if d.help:
        parts.append(f"**help:** {d.help}")
    if d.note:
        parts.append(f"**note:** {d.note}")
    if d.evidence:
        here = os.path.dirname(os.path.abspath(d.path))
        steps = [{**s, "path": os.path.relpath(s["path"], here)} if s.get("path") else s for s in d.evidence]
        parts.append("**evidence:**\n\n" + "\n".join(f"{i}. {evidence_text(s)}" for i, s in enumerate(steps, 1)))
    if d.picture:
        parts.append(f"```text\n{d.picture}\n```")
    return "\n\n".join(parts)


def _contains(lines: List[str], d: Diagnostic, pos: T.Position) -> bool:
    r = _range(lines, d)
    start, end = (r.start.line, r.start.character), (r.end.line, r.end.character)
    return start <= (pos.line, pos.character) <= end


def _suppression_edit(lines: List[str], d: Diagnostic) -> T.TextEdit:
    from masklint.suppress import suppression_edit

    text = lines[d.line - 1] if 1 <= d.line <= len(lines) else ""
    start, end, replacement = suppression_edit(text, {d.code})
    return T.TextEdit(T.Range(T.Position(d.line - 1, _utf16(text, start)), T.Position(d.line - 1, _utf16(text, end))),
                      replacement)


def code_actions(uri: str, lines: List[str], diags: List[Diagnostic], wanted: T.Range) -> List[T.CodeAction]:
    actions = []
    for d in diags:
        r = _range(lines, d)
        if (r.end.line, r.end.character) < (wanted.start.line, wanted.start.character) or \
                (r.start.line, r.start.character) > (wanted.end.line, wanted.end.character):
            continue
        lsp_diag = to_lsp(d, lines)
        if d.fix:
            edits = [T.TextEdit(T.Range(_position(lines, e["line"], e["column"]),
                                        _position(lines, e["end_line"], e["end_column"])), e["replacement"])
                     for e in d.fix]
            unsafe = " (unsafe: it changes results)" if d.fix_applicability == "unsafe" else ""
            actions.append(T.CodeAction(title=f"{d.fix_title or 'Fix'}{unsafe} [{d.code}]",
                                        kind=T.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
                                        edit=T.WorkspaceEdit(changes={uri: edits}), is_preferred=not unsafe))
        if d.code == "ML901":
            continue  # its fix removes the comment; suppressing it would add to the same comment
        actions.append(T.CodeAction(title=f"Suppress {d.code} on this line", kind=T.CodeActionKind.QuickFix,
                                    diagnostics=[lsp_diag],
                                    edit=T.WorkspaceEdit(changes={uri: [_suppression_edit(lines, d)]})))
    return actions


# --- the server ---------------------------------------------------------------------------------
def make_server() -> MaskLintServer:
    server = MaskLintServer()

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MaskLintServer, params: T.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MaskLintServer, params: T.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: MaskLintServer, params: T.DidSaveTextDocumentParams) -> None:
        ls.projects.clear()  # a saved file may be another file's dependency
        ls.schedule(params.text_document.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MaskLintServer, params: T.DidCloseTextDocumentParams) -> None:
        ls.results.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
    def code_action(ls: MaskLintServer, params: T.CodeActionParams) -> List[T.CodeAction]:
        uri = params.text_document.uri
        if uri not in ls.results:
            return []
        lines = ls.workspace.get_text_document(uri).source.splitlines()
        return code_actions(uri, lines, ls.results.get(uri, []), params.range)

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    def hover(ls: MaskLintServer, params: T.HoverParams) -> Optional[T.Hover]:
        uri = params.text_document.uri
        if uri not in ls.results:  # not opened (or closed): nothing was linted
            return None
        lines = ls.workspace.get_text_document(uri).source.splitlines()
        found = [d for d in ls.results.get(uri, []) if _contains(lines, d, params.position)]
        if not found:
            return None
        text = "\n\n---\n\n".join(hover_markdown(d) for d in found)
        return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text))

    return server


def main() -> None:
    make_server().start_io()


if __name__ == "__main__":
    main()
