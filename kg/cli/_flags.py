"""Library errors speak of parameters (``skip_bad_rows=True``); the command speaks of flags.

:data:`FLAGS` is the one table that turns the first into the second in the messages ``kg`` prints.
"""

from __future__ import annotations

import re

__all__ = ["FLAGS", "as_flags"]

FLAGS: dict[str, str] = {
    "skip_bad_rows=True": "--skip-bad-rows",
    "force=True": "--force",
    "out_dir=DIR": "-o DIR",
    "store=DIR": "--store DIR",
    "format='csv'": "--format csv",
    "format='gdelt'": "--format gdelt",
    "format='icews'": "--format icews",
    "mode='replace'": "--replace",
    "mode='append'": "--append",
    "validate=True": "--validate",
    "allow_network=True": "--allow-network",
    "allow_update=True": "--allow-update",
    "timeout=SECONDS": "--timeout SECONDS",
    "claims=True": "--claims",
    "start=DATE": "--from DATE",
    "end=DATE": "--to DATE",
    "as_of=DATE": "--as-of DATE",
    "published=DATE": "--published DATE",
}
"""Parameter settings named in library messages, and the flag that sets each in ``kg``."""

_PARAM = re.compile(r"params\[(['\"])(\w+)\1\]=")
_SETTING = re.compile("|".join(re.escape(setting) for setting in sorted(FLAGS, key=len, reverse=True)))


def as_flags(message: str) -> str:
    """Return ``message`` with every parameter setting of :data:`FLAGS` said as its flag.

    A named query's parameter (``params['actor']=...``) becomes ``--param actor=...``.

    >>> as_flags("fix them, or pass skip_bad_rows=True to write the good rows")
    'fix them, or pass --skip-bad-rows to write the good rows'
    >>> as_flags("the query between needs actor; pass params['actor']=...")
    'the query between needs actor; pass --param actor=...'
    """
    message = _SETTING.sub(lambda m: FLAGS[m.group()], message)
    return _PARAM.sub(r"--param \2=", message)
