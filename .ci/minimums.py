"""Print the declared minimum of every dependency as an exact pin (a pip constraints file).

Reads [project.dependencies] from pyproject.toml: "numpy>=1.24" becomes "numpy==1.24".
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
for requirement in tomllib.loads(pyproject.read_text())["project"]["dependencies"]:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*", requirement)
    if match is None:
        sys.exit(f"cannot read a minimum from {requirement!r}: declare it as NAME>=VERSION")
    print(f"{match.group(1)}=={match.group(2)}")
