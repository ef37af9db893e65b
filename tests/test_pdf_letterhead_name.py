"""The PDF letterhead sets a long organisation name ragged over two lines, never justified with wide gaps."""

from __future__ import annotations

import re
import subprocess

from click.testing import CliRunner

NAME = "Network of Cambodian Garment and Footwear Workers Associations"


def run(*args: str):
    from mmnpress.commands.main import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_two_line_name_keeps_natural_word_spaces(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "--name", NAME, "--organisation", "ncgfwa").exit_code == 0
    result = run("build", "statements/example-statement.yaml", "--to", "pdf")
    assert result.exit_code == 0, result.output
    layout = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "build/example-statement.pdf", "-"], capture_output=True, text=True, check=True
    ).stdout
    words = [
        (float(x0), float(y0), float(x1), word)
        for x0, y0, x1, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', layout)
    ]
    name = NAME.split()
    start = next(i for i in range(len(words)) if [w[3] for w in words[i : i + 3]] == name[:3])
    first_line = [w for w in words[start : start + len(name)] if abs(w[1] - words[start][1]) < 1]
    assert 2 <= len(first_line) < len(name), first_line  # the name does take two lines
    gaps = [b[0] - a[2] for a, b in zip(first_line, first_line[1:], strict=False)]
    assert max(gaps) < 6, gaps  # a 15 pt bold space is about 4 pt; justified, these gaps were 10-15 pt
