"""The reader's comment form, with its traps for bots."""

import hashlib
import logging
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache

from articles.markdown import COMMENT_MAX_BRACKETS
from articles.models import Comment, Post

NAME_MAX_LENGTH = 80
EMAIL_MAX_LENGTH = 254
BODY_MAX_LENGTH = 5000
TOKEN_SALT = "articles.comment-form"
FORM_EXPIRED = "This form has expired; your text is kept below — please send it again."
TOKEN_USED = (
    "This form has sent a comment already. If you meant to send another, your text is kept below: read it "
    "again and send it."
)

logger = logging.getLogger(__name__)


def comment_form_token(post: Post, *, issued_at: float | None = None) -> str:
    """A signed note of which post's form was shown, and when: the time trap reads it back."""
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps({"post": post.pk, "at": issued_at}, salt=TOKEN_SALT)


def _token_age(token: str, post: Post) -> float | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("post") != post.pk or not isinstance(data.get("at"), int | float):
        return None
    return time.time() - data["at"]


def _has_visible_text(value: str) -> bool:
    return any(char.isprintable() and not char.isspace() for char in value)


class CommentForm(forms.Form):
    author_name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Please give a name (any name you like); it is shown with your comment.",
            "max_length": "Names are limited to %(limit_value)d characters (this one has %(show_value)d).",
        },
    )
    author_email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX_LENGTH,
        help_text="Only moderators see it; it is never shown on the page.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please give your email address; only moderators see it.",
            "invalid": "This does not look like an email address; please check it.",
            "max_length": "Email addresses are limited to %(limit_value)d characters (this one has %(show_value)d).",
        },
    )
    body = forms.CharField(
        label="Comment",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Up to 5,000 characters. You may use *emphasis*, **strong**, `code`, code blocks and "
            "[links](https://example.org). HTML shows as typed."
        ),
        error_messages={
            "required": "Please write your comment.",
            "max_length": "Comments are limited to 5,000 characters; yours has %(show_value)d. "
            "Please shorten it (your text is kept below).",
        },
    )
    parent = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    remember = forms.BooleanField(required=False, label="Remember my name and email on this browser")
    # The honeypot: hidden from sight by CSS; people using a screen reader are told to leave it empty.
    subject = forms.CharField(
        required=False,
        max_length=500,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, post: Post, with_token: bool = True, **kwargs):
        """`with_token=False` for the post page: the same for every reader, its script fetches the token."""
        super().__init__(*args, label_suffix="", **kwargs)
        self.post = post
        # The browser would silently cut a longer paste at maxlength; the server says so instead.
        self.fields["body"].widget.attrs.pop("maxlength", None)
        self.parent_comment: Comment | None = None
        self.spam_reason = ""
        if with_token and not self.is_bound:
            self.initial["token"] = comment_form_token(post)

    def clean_author_name(self):
        name = self.cleaned_data["author_name"]
        if not _has_visible_text(name):
            raise forms.ValidationError("Please give a name with at least one visible character.")
        return name

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not _has_visible_text(body):
            raise forms.ValidationError("Please write your comment; this one has no visible characters.")
        brackets = body.count("[")
        if brackets > COMMENT_MAX_BRACKETS:
            raise forms.ValidationError(
                f"Comments may contain at most {COMMENT_MAX_BRACKETS} square brackets “[”; yours has {brackets}. "
                "Please use fewer (your text is kept below)."
            )
        return body

    def clean(self):
        cleaned_data = super().clean()
        parent_id = cleaned_data.get("parent", "")
        if parent_id:
            if parent_id.isascii() and parent_id.isdigit():
                replies_open = Comment.objects.approved().filter(post=self.post, parent=None)
                self.parent_comment = replies_open.filter(pk=int(parent_id)).first()
            if self.parent_comment is None:
                self.add_error(
                    None,
                    "The comment you are replying to is not open for replies. "
                    "Send the form again to post yours as a comment of its own.",
                )
                # Re-rendered without the stale parent, so sending again posts a top-level comment.
                self.data = self.data.copy()
                self.data[self.add_prefix("parent")] = ""
        self.spam_reason = self._check_token(cleaned_data)
        return cleaned_data

    def _check_token(self, cleaned_data) -> str:
        """The traps' verdict: a Comment.HeldReason for a bot, "" for a person.

        A token we signed that is older than COMMENT_FORM_MAX_AGE is refused with a form error rather
        than kept as spam: it is most likely a person who left the tab open. The form comes back with a
        fresh token that already counts as waited for, since this person did wait."""
        if cleaned_data.get("subject"):
            return Comment.HeldReason.HONEYPOT
        age = _token_age(cleaned_data.get("token") or "", self.post)
        if age is None:
            return Comment.HeldReason.BAD_TOKEN
        if age < settings.COMMENT_MIN_SECONDS:
            return Comment.HeldReason.TOO_FAST
        if age > settings.COMMENT_FORM_MAX_AGE:
            self.add_error(None, FORM_EXPIRED)
            self.data = self.data.copy()
            self.data[self.add_prefix("token")] = comment_form_token(
                self.post, issued_at=time.time() - settings.COMMENT_MIN_SECONDS
            )
        return ""

    def spend_token(self) -> bool:
        """One form token, one comment: mark this form's token used. False, with a form error and a fresh
        token, when it was used already: a bot that waited once cannot send many comments with it.

        A form a trap caught (its token is forged, or it came too fast) spends nothing: it is kept as spam,
        and the person who sends it again properly must still get through. With the cache down the token
        cannot be checked: it is let through (the rate limits do the same)."""
        if self.spam_reason:
            return True
        digest = hashlib.sha256(self.cleaned_data["token"].encode()).hexdigest()
        try:
            first_use = cache.add(f"comment-token-used:{digest}", 1, timeout=settings.COMMENT_FORM_MAX_AGE + 60)
        except Exception:
            logger.warning("Comment form token not checked for reuse: the cache did not answer")
            return True
        if not first_use:
            self.add_error(None, TOKEN_USED)
            self.data = self.data.copy()
            self.data[self.add_prefix("token")] = comment_form_token(self.post)
        return first_use


class SubscribeForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Your email")
    whole_series = forms.BooleanField(required=False, label="Tell me of every new part of the series")
    # The honeypot, as the comment form's.
    subject = forms.CharField(
        required=False,
        max_length=500,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("subject"))
