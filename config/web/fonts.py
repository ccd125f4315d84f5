"""The web fonts are Debian's, served by the app: a page never fetches anything from the internet."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# (URL name, candidates in Debian packages: fonts-noto-core, fonts-hosny-amiri, fonts-dejavu-core)
FONTS = {
    "naskh-regular.ttf": ("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
                          "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
    "naskh-bold.ttf": ("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
                       "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Bold.ttf"),
    "sans-regular.ttf": ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "sans-bold.ttf": ("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
                      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}  # fmt: skip
PREFIX = "fonts"


def _found() -> dict[str, Path]:
    out = {}
    for name, candidates in FONTS.items():
        for c in candidates:
            if Path(c).is_file():
                out[name] = Path(c)
                break
    return out


class _Aliases(FileSystemStorage):
    """Our short names for the files Debian installed, wherever they are."""

    prefix = PREFIX

    def __init__(self, found: dict[str, Path]) -> None:
        super().__init__(location="/usr/share/fonts")
        self._found = found

    def path(self, name: str) -> str:
        return str(self._found[name])

    def exists(self, name: str) -> bool:
        return name in self._found


class DebianFontsFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        folder, _, name = path.partition("/")
        found = _found().get(name) if folder == PREFIX else None
        if found is None:
            return [] if find_all else None
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        found = _found()
        storage = _Aliases(found)
        for name in found:
            yield name, storage
