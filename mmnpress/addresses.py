"""Check the profile's values that reach mail headers: the sender's address and names on one line.

A header value holding a line break starts a header of its own (`Bcc: …`),
so names and addresses must be single lines without control characters.
An address whose domain is not ASCII (`prensa@ejémplo.org`) is written in
its IDNA form (`prensa@xn--ejmplo-cva.org`), which every mail system reads;
one whose local part (before the @) is not ASCII would need SMTPUTF8, which
not every relay speaks and a saved .eml cannot ask for, so it is refused.
"""

from __future__ import annotations

import re
import unicodedata

LINE_BREAKING = {"Cc", "Zl", "Zp"}  # control characters (CR, LF, tab, NEL ...), line and paragraph separators
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
MAX_ADDRESS = 254  # RFC 5321


def line_problem(value: str) -> str | None:
    """Return why `value` cannot be one line of a header (a control character or line break in it), or None."""
    for character in value:
        if unicodedata.category(character) in LINE_BREAKING:
            name = unicodedata.name(character, "control character")
            return f"must be one line without control characters; it holds U+{ord(character):04X} {name}"
    return None


def sender_address(value: str) -> str:
    """Return `value` as an ASCII mail address (its domain in IDNA form); raise ValueError saying what is wrong."""
    problem = line_problem(value)
    if problem:
        raise ValueError(problem)
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"must be a mail address like press@example.org, not {value!r}")
    if not local.isascii():
        raise ValueError(
            f"the part before the @ of {value!r} is not ASCII: that needs SMTPUTF8, which not every mail "
            "system speaks; use an ASCII address (a domain in any script is fine)"
        )
    if not _LOCAL.match(local):
        raise ValueError(f"the part before the @ of {value!r} may hold only letters, digits, dots and !#$%&'*+/=?^_`{{|}}~-")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"the domain of {value!r} is not a valid internationalised domain name") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"the domain of {value!r} is not a valid domain name")
    address = f"{local}@{ascii_domain}"
    if len(address) > MAX_ADDRESS:
        raise ValueError(f"is longer than the {MAX_ADDRESS} characters a mail address may have")
    return address
