"""Send an admin change form as an editor's browser would: every field as the page shows it, a few changed."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """The fields of the page's form with id `form_id`, with the values a browser would send."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea, self._select, self._select_value = None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select, self._select_value = attrs["name"], None
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1][1:] if self._textarea[1].startswith("\n") else self._textarea[1]
            self.fields.append((self._textarea[0], value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def admin_form_data(html: str, form_id: str, **changes) -> dict:
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def admin_change(client, url: str, **changes):
    """GET the admin change page at `url`, then send its form back with `changes` applied."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    form_id = next(
        name
        for name in ("post_form", "series_form", "tag_form", "library_form", "comment_form")
        if f'id="{name}"' in page.content.decode()
    )
    response = client.post(url, admin_form_data(page.content.decode(), form_id, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response
