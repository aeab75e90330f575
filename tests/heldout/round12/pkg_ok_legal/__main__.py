import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from pkg_ok_legal.model import main  # noqa: E402

main()
