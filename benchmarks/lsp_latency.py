"""Language-server latency: from didOpen / didChange to the published diagnostics.

    python benchmarks/lsp_latency.py [FILE] [--changes N]

Starts ``masklint server`` over stdio with pygls's client, opens FILE (default: the bundled
fixtures/examples/gpt.py, whose mask is built in masks.py), then sends N whole-document changes
(each adds a blank line) and times each round trip.  The debounce delay (masklint.lsp.DEBOUNCE)
is subtracted from the change timings, so they show the linting itself.  Prints milliseconds.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.client import LanguageClient

from masklint.lsp import DEBOUNCE

ROOT = Path(__file__).resolve().parent.parent


async def measure(path: Path, changes: int):
    client = LanguageClient("bench", "1")
    queue: asyncio.Queue = asyncio.Queue()
    client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(lambda params: queue.put_nowait(params))
    await client.start_io(sys.executable, "-m", "masklint", "server", cwd=str(path.parent))
    await client.initialize_async(T.InitializeParams(capabilities=T.ClientCapabilities(),
                                                     root_uri=path.parent.as_uri()))
    client.initialized(T.InitializedParams())
    text = path.read_text()
    uri = path.as_uri()
    start = time.perf_counter()
    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri, "python", 1, text)))
    first = await queue.get()
    opened = time.perf_counter() - start
    later = []
    for version in range(2, changes + 2):
        text += "\n"
        start = time.perf_counter()
        client.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [T.TextDocumentContentChangeWholeDocument(text=text)]))
        await queue.get()
        later.append(time.perf_counter() - start - DEBOUNCE)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return opened, later, len(first.diagnostics)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "fixtures" / "examples" / "gpt.py"))
    ap.add_argument("--changes", type=int, default=10)
    args = ap.parse_args()
    opened, later, n = asyncio.run(measure(Path(args.file).resolve(), args.changes))
    print(f"{args.file}: {n} finding(s)")
    print(f"first open (server cold, index built): {opened * 1000:.0f} ms")
    print(f"each change after it (debounce of {DEBOUNCE * 1000:.0f} ms subtracted): median "
          f"{statistics.median(later) * 1000:.0f} ms, max {max(later) * 1000:.0f} ms over {len(later)}")


if __name__ == "__main__":
    main()
