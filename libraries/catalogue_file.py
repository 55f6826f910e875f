"""Reads the library catalogue (`content/libraries.yaml`) into plain data, refusing what the database could not
hold; nothing here touches the database: `libraries.catalogue.library_catalogue_import` writes what this returns."""

from dataclasses import dataclass

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from core.import_files import ImportRefused, import_text_check, import_text_read, node_line, yaml_compose
from libraries.names import split_full_name

KEYS = ("name", "aliases", "repository", "homepage", "description")
# The model's column sizes.
NAME_MAX_LENGTH = 120
HOMEPAGE_MAX_LENGTH = 300


class CatalogueError(ValueError):
    """The catalogue cannot be imported; `str()` has one line per problem, each naming the file and line."""

    def __init__(self, problems: list[ImportRefused]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class CatalogueEntry:
    name: str
    aliases: list[str]
    owner: str
    repo: str
    homepage: str
    description: str


def parse_catalogue_file(path) -> list[CatalogueEntry]:
    try:
        text = import_text_read(path)
    except ImportRefused as refused:
        raise CatalogueError([refused]) from refused
    return parse_catalogue(text, source=str(path))


def parse_catalogue(text: str, *, source: str) -> list[CatalogueEntry]:
    try:
        import_text_check(text, path=source)
        root = yaml_compose(text, path=source)
    except ImportRefused as refused:
        raise CatalogueError([refused]) from refused
    if not isinstance(root, yaml.SequenceNode):
        line = node_line(root) if root is not None else None
        raise CatalogueError([ImportRefused(source, line, "expected a list of libraries ('- name: …' items)")])
    reader = _CatalogueReader(source)
    entries = [entry for item in root.value if (entry := reader.entry(item))]
    if reader.problems:
        raise CatalogueError(reader.problems)
    return entries


class _CatalogueReader:
    """Reads one item after another, collecting every problem (each with its line) rather than stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[ImportRefused] = []
        self.seen: dict[str, int] = {}

    def refuse(self, node: yaml.Node, message: str) -> None:
        self.problems.append(ImportRefused(self.source, node_line(node), message))

    def entry(self, item: yaml.Node) -> CatalogueEntry | None:
        if not isinstance(item, yaml.MappingNode):
            self.refuse(item, "each library is a set of 'key: value' lines starting with '- name: …'")
            return None
        fields: dict[str, yaml.Node] = {}
        for key, value in item.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in KEYS:
                self.refuse(key, f"unknown key {str(key.value)[:40]!r} (the keys are {', '.join(KEYS)})")
            elif key.value in fields:
                self.refuse(key, f"{key.value} is given twice")
            else:
                fields[key.value] = value
        if _is_empty(fields.get("name")):
            self.refuse(item, "every library needs a name")
            return None
        name = self.text(fields["name"], "name", NAME_MAX_LENGTH)
        if not name:
            return None  # refused already: too long, or not text
        if name.lower() in self.seen:
            self.refuse(fields["name"], f"{name} is listed twice (first on line {self.seen[name.lower()]})")
        self.seen.setdefault(name.lower(), node_line(fields["name"]))
        owner, repo = self.repository(fields.get("repository"))
        return CatalogueEntry(
            name=name,
            aliases=self.aliases(fields.get("aliases")),
            owner=owner,
            repo=repo,
            homepage=self.homepage(fields.get("homepage")),
            description=self.text(fields.get("description"), "description", None),
        )

    def text(self, node: yaml.Node | None, what: str, max_length: int | None) -> str:
        if _is_empty(node):
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.refuse(node, f"the {what} must be text, not a list or a mapping")
            return ""
        value = node.value.strip()
        if max_length and len(value) > max_length:
            self.refuse(node, f"the {what} is longer than {max_length} characters")
            return ""
        return value

    def aliases(self, node: yaml.Node | None) -> list[str]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.refuse(node, "aliases must be a list of names, e.g. [sklearn]")
            return []
        if any(_is_empty(alias) for alias in node.value):
            self.refuse(node, "aliases must be a list of names, e.g. [sklearn]: one is empty")
            return []
        aliases = [self.text(alias, "alias", NAME_MAX_LENGTH) for alias in node.value]
        return [alias for alias in aliases if alias]

    def repository(self, node: yaml.Node | None) -> tuple[str, str]:
        text = self.text(node, "repository", None)
        if not text:
            return "", ""
        names = split_full_name(text)
        if names is None:
            self.refuse(node, f"the repository {text[:80]!r} is not 'owner/name' as GitHub spells it")
            return "", ""
        return names

    def homepage(self, node: yaml.Node | None) -> str:
        url = self.text(node, "homepage", HOMEPAGE_MAX_LENGTH)
        if not url:
            return ""
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            self.refuse(node, f"the homepage {url[:80]!r} is not an http(s) address")
            return ""
        return url


def _is_empty(node: yaml.Node | None) -> bool:
    return node is None or (
        isinstance(node, yaml.ScalarNode) and (node.tag.endswith(":null") or not node.value.strip())
    )
