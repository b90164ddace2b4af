"""The command line's words: a library message with flags for arguments and commands for calls.

The library's messages name Python arguments (``mode='raw' needs platform=``) and calls
(``client.batch.pick_up()``); the ``influencers-club`` command prints them through
:func:`cli_terms`, which maps each argument it has a flag for to the flag and each call it
has a command for to the command. Library messages stay as they are.
"""

from __future__ import annotations

import re

from toolkit._operations import OPERATIONS

__all__ = ["cli_terms"]

#: The toolkit's argument names -> this command's flags (messages are the library's).
_FLAGS = {
    "platform": "--platform",
    "mode": "--mode",
    "enrichment_mode": "--mode",
    "column": "--column",
    "encoding": "--encoding",
    "sheet": "--sheet",
    "timeout": "--timeout",
    "budget": "--budget",
    "concurrency": "--concurrency",
    "poll_interval": "--poll-interval",
    "out": "--out",
    "resubmit": "--resubmit",
    "header": "--no-header",  # header=False is --no-header (see _flag)
    "allow_duplicates": "--keep-duplicates",
    "dedupe": "--keep-duplicates",
    "operation": "--operation",
    "store": "--store",
}
#: A Python call offered beside the command that does the same: keep only the command.
_CALL_OR_COMMAND = re.compile(r"(?:client\.)[\w.]+\([^()]*(?:\([^()]*\))?[^()]*\)\s+or\s+")
_CALLS = (
    (re.compile(r"client\.batch\.pick_up\([^()]*\)"), "`influencers-club jobs resume --all`"),
    (
        re.compile(r"client\.batch\.resume_job\(['\"]?([^'\")]*)['\"]?\)"),
        r"`influencers-club jobs resume \1`",
    ),
    (re.compile(r"client\.batch\.run\([^()]*\)"), "`influencers-club enrich ...`"),
    (re.compile(r"client\.account\.credits\(\)"), "`influencers-club credits`"),
    (re.compile(r"client\.batch\.jobs\([^()]*\)"), "`influencers-club jobs list`"),
    (re.compile(r"client\.cache\.clear\([^()]*\)"), "`influencers-club cache clear`"),
)
#: An API operation's name, which says nothing to a command-line user: a leading
#: ``batch_create: `` goes, ``for batch_create`` becomes ``for this command``.
_OPERATION = "|".join(sorted(OPERATIONS, key=len, reverse=True))
_LEADING_OPERATION = re.compile(rf"(?:^|(?<=: ))(?:{_OPERATION}): ", re.MULTILINE)
_FOR_OPERATION = re.compile(rf"\b(for|of|in) (?:{_OPERATION})\b")
_KEYWORD = re.compile(
    r"(?<![?&\w/.-])([a-z][a-z_]*)=(True|False|None|'[^']*'|\"[^\"]*\"|[\w.+/~-]+)?(?!=)"
)


def cli_terms(message: str) -> str:
    """A library message in this command's words: ``mode='raw' needs platform=`` becomes
    ``--mode raw needs --platform``; a Python call offered beside a command is dropped."""
    text = _CALL_OR_COMMAND.sub("", message)
    text = _LEADING_OPERATION.sub("", text)
    text = _FOR_OPERATION.sub(r"\1 this command", text)
    for pattern, replacement in _CALLS:
        text = pattern.sub(replacement, text)
    return _KEYWORD.sub(_flag, text)


def _flag(match: re.Match[str]) -> str:
    name, value = match.group(1), match.group(2)
    flag = _FLAGS.get(name)
    if flag is None:
        return match.group(0)
    if name == "dedupe":
        return "--keep-duplicates" if value == "False" else "(without --keep-duplicates)"
    if name == "header":  # the flag says the opposite of the argument
        if value == "False":
            return "--no-header"
        return "(without --no-header)" if value == "True" else "(header detected)"
    if value is None:  # "needs platform=": the flag itself
        return flag
    if value == "True":
        return flag
    if value == "False":
        return f"(without {flag})"
    if value == "None":
        return f"(no {flag})"
    return f"{flag} {value.strip(chr(39) + chr(34))}"
