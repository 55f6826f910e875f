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


class NotARepositoryAddress(ValueError):
    """What was pasted is not the address of a GitHub repository."""


_ADDRESS = re.compile(
    rf"^(?:https?://)?(?:www\.)?github\.com/({OWNER_PATTERN})/({REPO_PATTERN}?)(?:\.git)?(?:[/?#].*)?$", re.IGNORECASE
)


def repository_from_address(address: str) -> tuple[str, str]:
    """("owner", "repo") from a repository's address on GitHub, as a browser shows it or as `git clone` takes it
    (https://github.com/owner/repo, …/tree/main/docs, …/repo.git); a clear refusal for anything else."""
    text = address.strip()
    match = _ADDRESS.match(text)
    if not match or split_full_name(f"{match.group(1)}/{match.group(2)}") is None:
        raise NotARepositoryAddress(
            f"“{text[:80]}” is not a GitHub repository's address (https://github.com/owner/repository)."
        )
    return match.group(1), match.group(2)
