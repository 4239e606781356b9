"""Fetch the ipywidgets HTML manager and RequireJS into _vendor/widgets/ with npm.

The built book embeds widget state; a browser needs these two scripts to draw the
widgets. With them vendored, the HTML works with no internet at all. npm is used as
the ordinary client of the npm registry; where npm is missing or the registry cannot
be reached, this prints one line and exits 0, and the book falls back to the CDN.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = {"@jupyter-widgets/html-manager": "1.0.13", "requirejs": "2.3.7"}
TARGET = Path(__file__).resolve().parent.parent / "_vendor" / "widgets"


def npm_pack(name: str, version: str, workdir: Path) -> Path:
    """Download ``name@version`` as a tarball into ``workdir`` and return its path."""
    out = subprocess.run(
        ["npm", "pack", "--silent", f"{name}@{version}"],
        cwd=workdir, capture_output=True, text=True, timeout=300, check=True,
    )
    return workdir / out.stdout.strip().splitlines()[-1]


def extract(tarball: Path, dest: Path) -> Path:
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def main() -> int:
    if (TARGET / "embed-amd.js").exists() and (TARGET / "require.js").exists():
        return 0
    if shutil.which("npm") is None:
        print("offline widgets: npm not found; the book will load widget JavaScript from a CDN")
        return 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            manager = extract(npm_pack("@jupyter-widgets/html-manager", PACKAGES["@jupyter-widgets/html-manager"], tmp), tmp / "hm")
            requirejs = extract(npm_pack("requirejs", PACKAGES["requirejs"], tmp), tmp / "rjs")
            TARGET.mkdir(parents=True, exist_ok=True)
            for f in (manager / "dist").iterdir():
                # browsers take the woff2 (or woff) font; the eot/ttf/svg copies are never asked for
                if f.suffix in {".js", ".woff2", ".woff"} and not f.name.startswith(("embed.js", "libembed")):
                    shutil.copy2(f, TARGET / f.name)
            shutil.copy2(requirejs / "require.js", TARGET)
    except (subprocess.SubprocessError, OSError, tarfile.TarError) as exc:
        print(f"offline widgets: could not fetch with npm ({type(exc).__name__}); the book will load widget JavaScript from a CDN")
        return 0
    print(f"offline widgets: vendored into {TARGET.relative_to(TARGET.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
