"""Make the static font instances shipped in the package (mmnpress/render/static-fonts/).

Run from the repository after the packaged fonts or the instancing change
(``python scripts/make_static_fonts.py``, about 20 s). tests/test_static_fonts.py
fails while a shipped instance no longer matches its variable font.
"""

from __future__ import annotations

from mmnpress.render import staticfonts, wordfonts


def main() -> None:
    """Make every whole-family instance and write them with their manifest."""
    instances = {
        (family, style): (wordfonts.variable_file(family), wordfonts.make_whole_instance(family, style))
        for family in wordfonts.WHOLE_FAMILIES
        for style in wordfonts.STYLES
    }
    for path in staticfonts.write_all(instances, wordfonts.INSTANCE_VERSION):
        print(f"wrote {path.relative_to(staticfonts.FOLDER.parent.parent.parent)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
