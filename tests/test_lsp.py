"""``masklint server`` driven by a real LSP client (pygls's) over stdio, in a subprocess:
initialize, open a buggy document, receive its diagnostics, hover, apply a code action, change
the document and see the diagnostics clear."""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
from lsprotocol import types as T  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

BUGGY = """\
import torch
import torch.nn as nn

mha = nn.MultiheadAttention(8, 2)
x = torch.randn(4, 2, 8)
keep = torch.tril(torch.ones(4, 4, dtype=torch.bool))
out, _ = mha(x, x, x, attn_mask=keep)
"""


def apply_edits(text: str, edits) -> str:
    lines = text.splitlines(keepends=True)
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        s, t = e.range.start, e.range.end
        start = sum(len(line) for line in lines[: s.line]) + s.character
        end = sum(len(line) for line in lines[: t.line]) + t.character
        full = "".join(lines)
        lines = (full[:start] + e.new_text + full[end:]).splitlines(keepends=True)
    return "".join(lines)


async def session(tmp_path: Path):
    path = tmp_path / "model.py"
    path.write_text(BUGGY)
    uri = path.as_uri()
    client = LanguageClient("test-client", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: T.PublishDiagnosticsParams):
        published.put_nowait(params)

    await client.start_io(sys.executable, "-m", "masklint", "server", cwd=str(tmp_path))
    try:
        init = await asyncio.wait_for(client.initialize_async(T.InitializeParams(
            capabilities=T.ClientCapabilities(), root_uri=tmp_path.as_uri())), 60)
        assert init.capabilities.hover_provider and init.capabilities.code_action_provider
        client.initialized(T.InitializedParams())
        client.text_document_did_open(T.DidOpenTextDocumentParams(
            T.TextDocumentItem(uri=uri, language_id="python", version=1, text=BUGGY)))
        first = await asyncio.wait_for(published.get(), 60)
        assert first.uri == uri
        (diag,) = first.diagnostics
        assert diag.code == "ML101" and diag.source == "masklint"
        assert diag.range.start == T.Position(6, 32) and diag.range.end == T.Position(6, 36)
        assert diag.code_description.href.endswith("ML101.md")
        assert diag.severity == T.DiagnosticSeverity.Error and "help:" in diag.message
        assert [r.message for r in diag.related_information] == ["1. torch.ones(..., dtype=torch.bool)",
                                                                 "2. torch.tril"]

        hover = await asyncio.wait_for(client.text_document_hover_async(T.HoverParams(
            T.TextDocumentIdentifier(uri), T.Position(6, 34))), 30)
        assert "**ML101**" in hover.contents.value and "1. " in hover.contents.value
        assert "attn_mask as nn.MultiheadAttention reads it" in hover.contents.value
        assert await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri),
                                                                    T.Position(0, 1))) is None

        actions = await asyncio.wait_for(client.text_document_code_action_async(T.CodeActionParams(
            T.TextDocumentIdentifier(uri), diag.range, T.CodeActionContext(diagnostics=[diag]))), 30)
        titles = [a.title for a in actions]
        assert titles == ["Invert the mask (unsafe: it changes results) [ML101]", "Suppress ML101 on this line"]
        fixed = apply_edits(BUGGY, actions[0].edit.changes[uri])
        assert "attn_mask=~keep)" in fixed
        suppressed = apply_edits(BUGGY, actions[1].edit.changes[uri])
        assert suppressed.splitlines()[6].endswith("attn_mask=keep)  # masklint: ignore[ML101]")

        for version, text in ((2, fixed), (3, suppressed.replace("keep)", "keep) ", 1))):
            client.text_document_did_change(T.DidChangeTextDocumentParams(
                T.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [T.TextDocumentContentChangeWholeDocument(text=text)]))
            after = await asyncio.wait_for(published.get(), 60)
            assert after.version == version and list(after.diagnostics) == []
    finally:
        await asyncio.wait_for(client.shutdown_async(None), 30)
        client.exit(None)
        await asyncio.wait_for(client.stop(), 30)


def test_server_over_stdio(tmp_path):
    asyncio.run(asyncio.wait_for(session(tmp_path), 180))


def test_server_without_pygls_says_how_to_install(tmp_path, masklint_cmd):
    blocker = tmp_path / "pygls.py"
    blocker.write_text("raise ImportError('no pygls here')\n")
    result = masklint_cmd("server", cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 2
    assert "pip install 'masklint[lsp]'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (Debian: apt install neovim)")
def test_neovim_shows_the_diagnostics(tmp_path):
    """Neovim's own LSP client, headless, with the set-up of docs/editors.md."""
    (tmp_path / "model.py").write_text(BUGGY)
    editors = Path(__file__).parent / "editors"
    result = subprocess.run(["nvim", "--headless", "-u", str(editors / "neovim_init.lua"),
                             "-c", f"luafile {editors / 'neovim_check.lua'}"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "MASKLINT_PYTHON": sys.executable})
    out = (result.stdout + result.stderr).strip().splitlines()
    assert out[0].startswith("7:33 ML101 keep mask `keep`"), out
