"""The review step: writers send drafts to the editors, who publish, schedule or send them back."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.admin.forms import IdField
from articles.admin.roles import can_change, is_editor
from articles.models import Article

# A revision's reason holds 100 characters (django-simple-history).
REASON_LENGTH = 100


class ReviewDecisionForm(forms.Form):
    """What an editor decides about one article waiting in the queue."""

    PUBLISH, SCHEDULE, SEND_BACK = "publish", "schedule", "send_back"

    # Only what still waits: a second editor deciding on the same article is told it is gone.
    article = IdField(
        queryset=Article.objects.in_review(),
        error_messages={"invalid_choice": _("This article no longer waits for review.")},
    )
    decision = forms.ChoiceField(
        choices=[
            (PUBLISH, _("Publish now")),
            (SCHEDULE, _("Schedule")),
            (SEND_BACK, _("Send back to the writer")),
        ]
    )
    # From an <input type="datetime-local">, in Paris time.
    publish_at = forms.DateTimeField(label=_("Publication time"), required=False)
    note = forms.CharField(label=_("Note to the writer"), required=False)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.SCHEDULE:
            publish_at = cleaned.get("publish_at")
            if publish_at is None or publish_at <= timezone.now():
                self.add_error("publish_at", _("Give a publication time still to come."))
        if decision == self.SEND_BACK and not cleaned.get("note", "").strip():
            self.add_error("note", _("Tell the writer what to change."))
        return cleaned

    def apply(self, user):
        """Carry out the decision, saving one revision that says what was decided and by whom."""
        article, decision = self.cleaned_data["article"], self.cleaned_data["decision"]
        if decision == self.SEND_BACK:
            article.send_back(self.cleaned_data["note"].strip())
            reason = gettext("Sent back: %(note)s") % {"note": article.review_note}
        else:
            if decision == self.SCHEDULE:
                article.published_at = self.cleaned_data["publish_at"]
            else:
                article.published_at = timezone.now()
            article.publish()
            reason = gettext("Published after review")
        article._history_user = user
        article._change_reason = Truncator(reason).chars(REASON_LENGTH)
        article.save()
        return article


class ReviewMixin:
    """The "À relire" queue for editors, and the writer's "send for review" button."""

    review_template = "admin/articles/article/review_queue.html"

    def get_urls(self):
        queue = self.admin_site.admin_view(self.review_view)
        return [path("review/", queue, name="articles_article_review"), *super().get_urls()]

    def review_view(self, request):
        if not is_editor(request.user):
            raise PermissionDenied
        if request.method == "POST":
            form = ReviewDecisionForm(request.POST)
            if form.is_valid():
                article = form.apply(request.user)
                self.message_user(request, self.decision_message(article), messages.SUCCESS)
                return redirect("admin:articles_article_review")
        else:
            form = None
        waiting = list(
            Article.objects.in_review()
            .defer("body")
            .select_related("created_by")
            .prefetch_related("authors")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("To review"),
            "opts": self.opts,
            "waiting": waiting,
            # A refused decision is shown again on its own article's row.
            "refused": form if form is not None and form.errors else None,
        }
        return TemplateResponse(request, self.review_template, context)

    @staticmethod
    def decision_message(article):
        if article.status == Article.Status.DRAFT:
            return gettext("“%(title)s” went back to its writer.") % {"title": article}
        if article.state == Article.State.SCHEDULED:
            return gettext("“%(title)s” is scheduled.") % {"title": article}
        return gettext("“%(title)s” is published.") % {"title": article}

    def can_submit_for_review(self, request, obj):
        return obj is None or (obj.status == Article.Status.DRAFT and can_change(request.user, obj))

    def save_model(self, request, obj, form, change):
        # The roles' check on the status has run before: sending for review is the one way a
        # writer moves it.
        if "_submit_review" in request.POST and self.can_submit_for_review(request, obj):
            obj.submit_for_review()
            obj._change_reason = gettext("Sent for review")
        elif obj.status == Article.Status.REVIEW and "status" in form.changed_data:
            # An editor who sets "To review" by hand puts the article in the queue as well.
            obj.submit_for_review()
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_submit_for_review"] = not context.get(
            "is_popup"
        ) and self.can_submit_for_review(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        if is_editor(request.user):
            extra_context = {**(extra_context or {}), "review_count": self.review_count()}
        return super().changelist_view(request, extra_context)

    @staticmethod
    def review_count():
        return Article.objects.in_review().count()
