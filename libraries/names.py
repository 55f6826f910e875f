"""GitHub's rules for owner and repository names; a name that passes cannot change an API request's path."""

import re

from django.core.validators import RegexValidator

OWNER_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
REPO_PATTERN = r"(?!\.\.?(?:$|/))[A-Za-z0-9._-]{1,100}"

GITHUB_OWNER = RegexValidator(rf"^{OWNER_PATTERN}$", "Not a GitHub user or organisation name.")
GITHUB_REPO = RegexValidator(rf"^{REPO_PATTERN}$", "Not a GitHub repository name.")

_FULL_NAME = re.compile(rf"^({OWNER_PATTERN})/({REPO_PATTERN})$")


def split_full_name(full_name: str) -> tuple[str, str] | None:
    """("owner", "repo") for "owner/repo"; None when it is not a valid GitHub name."""
    match = _FULL_NAME.match(full_name.strip())
    return (match.group(1), match.group(2)) if match else None
