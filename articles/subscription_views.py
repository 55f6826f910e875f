"""The pages of "notify me": a coming part's own page with the form, the answer to it, and the confirm and
unsubscribe links from the emails (each a page with one button; the unsubscribe link also takes the one-click
POST mail clients send, RFC 8058)."""

from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView

from articles.forms import SubscribeForm
from articles.models import Post
from articles.ratelimit import rate_limit_hit
from articles.subscriptions import (
    CONFIRM_SALT,
    CONFIRM_WITHIN,
    UNSUBSCRIBE_SALT,
    subscription_cancel,
    subscription_confirm,
    subscription_from,
    subscription_request,
)
from articles.tasks import on_commit_enqueue, send_subscription_confirmation
from core.client import client_ip
from core.origin import is_same_origin
from core.page_cache import CachedPageMixin
from core.page_generations import CONTENT

CHECK_YOUR_INBOX = (
    "Thank you. If this address is new here, an email is on its way to it: follow its link to confirm. "
    "Nothing more is sent until you do."
)
SUBSCRIBE_LIMIT_PER_IP, SUBSCRIBE_WINDOW = 10, 3600


class ComingSoonView(CachedPageMixin, DetailView):
    """A coming part's page: the same for every reader (the form needs no token: see SubscribeView)."""

    template_name = "articles/coming_soon.html"
    context_object_name = "part"
    page_dependencies = (CONTENT,)

    def get_queryset(self):
        return Post.objects.filter(status=Post.Status.COMING_SOON).select_related("series")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A part renumbered since ("top-x-…" is "top-5-…"): its coming page, or the post once it is out.
            moved = Post.objects.renumbered_from(kwargs["slug"]).filter(status=Post.Status.COMING_SOON).first()
            if moved is not None:
                return redirect("articles:coming_soon", slug=moved.slug, permanent=True)
            out = Post.objects.published().renumbered_from(kwargs["slug"]).first()
            if out is not None:
                return redirect(out, permanent=True)
            raise

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=SubscribeForm(), **kwargs)


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class SubscribeView(View):
    """The form's POST. Refused from another site's page (`is_same_origin`), rate limited per address of
    the reader, a filled honeypot answered like anyone else; the answer never says whether the address
    was known."""

    def post(self, request, slug):
        part = Post.objects.filter(status=Post.Status.COMING_SOON, slug=slug).select_related("series").first()
        if part is None:
            raise Http404("No coming part at this address.")
        if not is_same_origin(request):
            return HttpResponseForbidden("Subscriptions can only be sent from this site's pages.")
        form = SubscribeForm(request.POST)
        if not form.is_valid():
            return render(request, "articles/coming_soon.html", {"part": part, "form": form}, status=400)
        if not rate_limit_hit(
            scope="subscribe", key=client_ip(request) or "", limit=SUBSCRIBE_LIMIT_PER_IP, window=SUBSCRIBE_WINDOW
        ):
            return _message(request, "Too many requests from here; please try again in an hour.", status=429)
        if not form.is_spam:
            whole = form.cleaned_data["whole_series"] and part.series is not None
            target = {"series": part.series} if whole else {"part": part}
            subscription = subscription_request(email=form.cleaned_data["email"], **target)
            if subscription is not None:
                on_commit_enqueue(send_subscription_confirmation, subscription.pk)
        return _message(request, CHECK_YOUR_INBOX)


class SubscriptionLinkView(View):
    """A link from an email: GET shows what it does and a button; POST does it."""

    salt: str
    max_age = None
    template_name = ""

    def subscription(self, token):
        return subscription_from(token, salt=self.salt, max_age=self.max_age)

    def get(self, request, token):
        subscription = self.subscription(token)
        return render(request, self.template_name, {"subscription": subscription}, status=200 if subscription else 404)


@method_decorator(never_cache, name="dispatch")
class ConfirmView(SubscriptionLinkView):
    salt = CONFIRM_SALT
    max_age = CONFIRM_WITHIN
    template_name = "articles/subscription_confirm.html"

    def post(self, request, token):
        subscription = self.subscription(token)
        if subscription is None:
            return _message(request, "This link has expired or was already used to unsubscribe.", status=404)
        subscription_confirm(subscription)
        what = subscription.part.title if subscription.part else f"every new part of {subscription.series.title}"
        return _message(request, f"Confirmed: you will get one email when {what} is out.")


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(SubscriptionLinkView):
    salt = UNSUBSCRIBE_SALT
    template_name = "articles/subscription_cancel.html"

    def post(self, request, token):
        # The signed token is the credential, so a mail client's one-click POST needs no CSRF token.
        subscription = self.subscription(token)
        if subscription is not None:
            subscription_cancel(subscription)
        return _message(request, "Unsubscribed: nothing more will be sent to this address.")


def _message(request, text: str, status: int = 200) -> HttpResponse:
    return render(request, "articles/subscription_message.html", {"message": text}, status=status)
