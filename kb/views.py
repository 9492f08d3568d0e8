"""Public help-center views: thin, reading cached page data from kb.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from helpdesk.files import file_response

from . import search, selectors, services
from .forms import SearchForm, VoteForm
from .models import Article, ArticleAttachment, Faq, Vote


def _audience(request: HttpRequest) -> str:
    return selectors.audience_for(request.user)


def home(request: HttpRequest) -> HttpResponse:
    page = selectors.home_page(language=get_language(), audience=_audience(request))
    return render(request, "kb/home.html", {"page": page})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.category_page(slug=slug, language=get_language(), audience=_audience(request))
    if page is None:
        raise Http404
    return render(request, "kb/category_detail.html", {"page": page})


def section_detail(request: HttpRequest, category: str, slug: str) -> HttpResponse:
    page = selectors.section_page(
        category=category, slug=slug, language=get_language(), audience=_audience(request)
    )
    if page is None:
        raise Http404
    return render(request, "kb/section_detail.html", {"page": page})


def article_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    language = get_language()
    page = selectors.article_page(group_id=pk, language=language, audience=_audience(request))
    if page is None:
        raise Http404
    article = page["article"]
    if slug != article["slug"]:
        return redirect(article["url"], permanent=True)
    services.record_article_view(
        article_id=article["article_id"],
        group_id=article["id"],
        language=article["language"],
        visitor_id=request.visitor_id,
        session_id=request.analytics_session_id,
    )
    feedback = request.GET.get("feedback")
    context = {
        "page": page,
        "feedback": feedback if feedback in {"up", "down", "thanks"} else "",
        "reasons": VoteForm.base_fields["reason"].choices,
    }
    return render(request, "kb/article_detail.html", context)


@require_POST
@ratelimit(key="ip", rate="30/m", block=False)
def article_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Record "Was this helpful?"; a "no" leads to an optional reason, never a dead end."""
    page = selectors.article_page(group_id=pk, language=get_language(), audience=_audience(request))
    if page is None:
        raise Http404
    url = page["article"]["url"]
    form = VoteForm(request.POST)
    if getattr(request, "limited", False) or not form.is_valid():
        messages.error(request, _("We could not record your answer. Please try again."))
        return redirect(f"{url}#feedback")
    article = get_object_or_404(Article, pk=page["article"]["article_id"])
    services.record_vote(
        article=article,
        visitor_id=request.visitor_id,
        session_id=request.analytics_session_id,
        value=form.cleaned_data["value"],
        reason=form.cleaned_data["reason"],
        comment=form.cleaned_data["comment"],
    )
    is_first_no = form.cleaned_data["value"] == Vote.NOT_HELPFUL and "reason" not in request.POST
    step = "down" if is_first_no else "thanks"
    return redirect(f"{url}?feedback={step}#feedback")


def faq_list(request: HttpRequest) -> HttpResponse:
    page = selectors.faq_page(language=get_language(), audience=_audience(request))
    return render(request, "kb/faq_list.html", {"page": page})


def faq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.faq_detail(group_id=pk, language=get_language(), audience=_audience(request))
    if page is None:
        raise Http404
    services.record_faq_opened(
        faq_id=pk,
        language=page["faq"]["language"],
        visitor_id=request.visitor_id,
        session_id=request.analytics_session_id,
    )
    return render(request, "kb/faq_detail.html", {"page": page})


def attachment(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """Serve an article file: only if its article is visible to the reader, never as HTML."""
    item = get_object_or_404(ArticleAttachment.objects.select_related("article"), pk=pk)
    visible = Article.objects.visible_to(request.user).filter(pk=item.article_id).exists()
    if not visible and not request.user.is_staff:
        raise Http404
    return file_response(
        item.file, filename=item.filename, content_type=item.content_type, allow_inline_images=True
    )


@ratelimit(key="ip", rate="60/m", block=False)
def search_page(request: HttpRequest) -> HttpResponse:
    """Search results: shareable URL, filters, highlighted snippets, never a dead end."""
    if getattr(request, "limited", False):
        response = render(request, "kb/search_results.html", {"is_limited": True}, status=429)
        response["Retry-After"] = "60"
        return response
    form = SearchForm(request.GET or None)
    if not form.is_valid():
        return render(request, "kb/search_results.html", {"form": form}, status=400)
    data = form.cleaned_data
    results = search.search(
        raw_query=data["q"],
        language=get_language(),
        audience=_audience(request),
        page=data["page"] or 1,
        only_language=data["in_language"],
        category=data["category"],
        visitor_id=request.visitor_id,
        session_id=request.analytics_session_id,
    )
    context = {
        "form": form,
        "results": results,
        "categories": selectors.category_choices(get_language()),
    }
    return render(request, "kb/search_results.html", context)


def search_click(request: HttpRequest, search_id: str, kind: str, pk: int) -> HttpResponse:
    """Record which result a reader opened, then go there (works without JavaScript)."""
    model = Article if kind == "article" else Faq
    obj = get_object_or_404(model, pk=pk)
    search.record_click(
        search_id=search_id[:32], kind=kind, group_id=obj.group_id,
        position=_int(request.GET.get("pos")), language=get_language(),
        visitor_id=request.visitor_id, session_id=request.analytics_session_id,
    )  # fmt: skip
    return redirect(obj.get_absolute_url())


def _int(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), 1000))
    except ValueError:
        return 0
