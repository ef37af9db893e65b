"""The README's command list names every command and option of the command line."""

import re
from pathlib import Path

import click

from mmnpress.commands.main import main

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(group: click.Group, prefix: str = "mmnpress"):
    """Yield (name, command) for every leaf command under `group`."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def _command_list() -> dict[str, str]:
    """Return each command line of the README's list, joined with its continuation lines, by command name."""
    block = re.search(r"## Commands\n\n```\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    usages: dict[str, str] = {}
    name = ""
    for line in block.splitlines():
        if line.startswith("mmnpress "):
            words = line.split()
            name = " ".join(w for w in words[:3] if re.fullmatch(r"[a-z]+", w))
            usages[name] = usages.get(name, "") + " " + line
        else:
            usages[name] += " " + line
    return usages


def test_every_command_and_option_is_in_the_readme_command_list():
    usages = _command_list()
    missing = []
    for name, command in _commands(main):
        usage = next((text for known, text in usages.items() if known == name or known.startswith(name + " ")), None)
        if usage is None:
            missing.append(name)
            continue
        for option in command.params:
            flags = option.opts if isinstance(option, click.Option) else []
            if flags and not any(re.search(re.escape(f) + r"(?![\w-])", usage) for f in flags):
                missing.append(f"{name} {flags[0]}")
    assert not missing, "\n".join(missing)
