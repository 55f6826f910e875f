"""The rules every importer reads its files under: a size cap, UTF-8 text without control characters,
and YAML without aliases. A file that breaks one is refused in one line naming the file and line."""

import codecs
import re
from pathlib import Path

import yaml
from django.conf import settings

# C0 controls other than tab, line feed and carriage return; DEL; the C1 controls. None belongs in a post,
# and PostgreSQL refuses NUL outright.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class ImportRefused(ValueError):
    """A file an importer will not take; `str()` is "file:line: what is wrong"."""

    def __init__(self, path, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


def import_text_read(path) -> str:
    """The file's text, once it is known to be under the size cap and UTF-8 (a UTF-8 byte-order mark is dropped)."""
    path = Path(path)
    limit = settings.IMPORT_MAX_BYTES
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ImportRefused(path, None, f"cannot read the file ({error.strerror or error})") from error
    if len(data) > limit:
        raise ImportRefused(path, None, f"the file is over the import limit of {limit:,} bytes (IMPORT_MAX_BYTES)")
    if data.startswith(_UTF16_BOMS):
        raise ImportRefused(path, 1, "the file is UTF-16; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise ImportRefused(path, line, f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8") from error
    return import_text_check(text, path=path)


def import_text_check(text: str, *, path) -> str:
    """Refuse an empty text or one holding control characters (a binary file, a paste gone wrong)."""
    if not text.strip():
        raise ImportRefused(path, None, "the file is empty")
    found = _CONTROL_CHARACTER.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        what = "a NUL character (a binary file?)" if found.group() == "\x00" else "a control character"
        raise ImportRefused(path, line, f"holds {what} (U+{ord(found.group()):04X})")
    return text


class _LoaderWithoutAliases(yaml.SafeLoader):
    """YAML as the safe loader reads it, less anchors and aliases: an importer's files need none, and a
    few lines of nested aliases (a "billion laughs") expand to gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="anchors and aliases (&, *) are not accepted", problem_mark=mark)
        return super().compose_node(parent, index)


def yaml_compose(text: str, *, path, first_line: int = 1, what: str = "the file") -> yaml.Node | None:
    """The YAML document's node tree (each node knows its line), refused with the line of the first error."""
    loader = _LoaderWithoutAliases(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise ImportRefused(path, line, f"{what} is not valid YAML: {problem}") from error
    finally:
        loader.dispose()


def yaml_construct(node: yaml.Node | None, *, path, first_line: int = 1, what: str = "the file"):
    """The Python value of a composed node: dicts, lists, strings, numbers, dates."""
    if node is None:
        return None
    try:
        return _construct(node)
    except (yaml.YAMLError, ValueError) as error:  # ValueError: YAML reads 9999-99-99 as a date, and fails
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark else node_line(_first_failing_scalar(node) or node, first_line=first_line)
        problem = getattr(error, "problem", None) or str(error)
        raise ImportRefused(path, line, f"{what} holds a value YAML cannot read ({problem})") from error


def _construct(node: yaml.Node):
    loader = _LoaderWithoutAliases("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _first_failing_scalar(node: yaml.Node) -> yaml.Node | None:
    if isinstance(node, yaml.ScalarNode):
        try:
            _construct(node)
        except (yaml.YAMLError, ValueError):
            return node
        return None
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    return next((found for child in children if (found := _first_failing_scalar(child))), None)


def node_line(node: yaml.Node, *, first_line: int = 1) -> int:
    return first_line + node.start_mark.line
