"""Draw the MMN logo with Typst and write templates/mmn/logo.png.

The mark: a deep-blue disc with "MMN" in white above three river waves,
the lowest in the laterite accent. Colours come from the profile, so the
logo follows it when the palette changes. Run from the repository root:

    python scripts/make_logo.py [--ppi 600] [--out templates/mmn/logo.png]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = 60.0  # pt, the side of the square canvas


def wave(y: float, amplitude: float, phase: float, width: float, inset: float) -> str:
    """Return a Typst curve path through one sine period across the disc."""
    steps = 48
    points = []
    for i in range(steps + 1):
        x = inset + (width - 2 * inset) * i / steps
        points.append((x, y + amplitude * math.sin(phase + 2 * math.pi * i / steps * 1.5)))
    parts = [f"curve.move(({points[0][0]:.2f}pt, {points[0][1]:.2f}pt))"]
    parts += [f"curve.line(({x:.2f}pt, {y:.2f}pt))" for x, y in points[1:]]
    return ", ".join(parts)


def source(primary: str, accent: str, font: str) -> str:
    """Return the Typst source of the logo."""
    waves = [
        (36.0, 2.6, 0.0, "white", 2.6),
        (42.5, 2.6, 0.6, "white.transparentize(35%)", 2.6),
        (49.0, 2.6, 1.2, "accent", 3.0),
    ]
    strokes = "\n".join(
        f'#place(curve(stroke: (paint: {paint}, thickness: {thick}pt, cap: "round", join: "round"), {wave(y, amp, phase, SIZE, -2.0)}))'
        for y, amp, phase, paint, thick in waves
    )
    return f"""
#let primary = rgb("{primary}")
#let accent = rgb("{accent}")
#set page(width: {SIZE}pt, height: {SIZE}pt, margin: 0pt, fill: none)
#box(width: {SIZE}pt, height: {SIZE}pt, radius: {SIZE / 2}pt, clip: true, fill: primary)[
#place(top + center, dy: 12pt,
  text(font: "{font}", weight: "bold", size: 16pt, fill: white, tracking: 0.4pt)[MMN])
{strokes}
]
"""


def main(argv: list[str] | None = None) -> int:
    """Write the logo PNG; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=Path, default=ROOT / "templates/mmn/profile.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "templates/mmn/logo.png")
    parser.add_argument("--ppi", type=float, default=600)
    args = parser.parse_args(argv)

    import typst

    from mmnpress.fonts import typst_fonts

    profile = yaml.safe_load(args.profile.read_text(encoding="utf-8"))
    colours = profile.get("colours", {})
    font = profile.get("fonts", {}).get("heading", "Noto Sans")
    typ = source(colours.get("primary", "#1F4E79"), colours.get("accent", "#C55A11"), font)
    png = typst.compile(typ.encode(), format="png", ppi=args.ppi, font_paths=typst_fonts(), ignore_system_fonts=True)
    args.out.write_bytes(png)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
