"""The README's production settings, read from the README itself, for the tests and the CI smoke test.

The «Produksjon» section opens with a shell block whose `export` line is what an operator sets; the tests
run `check --deploy` with exactly those variables and CI starts gunicorn with them, so the README can not
drift from what is tested. Placeholders ("…") are filled in by the caller.
"""

import os
import re
import secrets
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
PLACEHOLDER = "…"


def readme_env(readme: Path = README) -> dict[str, str]:
    """The variables of the `export` statement in the first shell block under «## Produksjon»."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Produksjon", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    joined = block.replace("\\\n", " ")
    export = next(line for line in joined.splitlines() if line.startswith("export "))
    return dict(token.split("=", 1) for token in shlex.split(export)[1:])


def production_env(**overrides: str) -> dict[str, str]:
    """The process environment with the README's production settings; a fresh secret key for its placeholder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))}
    settings = readme_env()
    settings["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    settings.update(overrides)
    unfilled = [name for name, value in settings.items() if PLACEHOLDER in value]
    if unfilled:
        raise ValueError(f"Fill in the README's placeholders: {', '.join(unfilled)}")
    return env | settings
