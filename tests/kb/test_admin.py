"""The knowledge-base admin: edits go through the services, history, preview, actions, queries."""

import re
from pathlib import Path

import pytest
import yaml
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb import services
from kb.models import Article, ArticleAttachment, ArticleVote, Faq, Status
from tests.kb.factories import CategoryFactory, SectionFactory, make_article

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CHANGELIST = "admin:kb_article_changelist"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(article: Article) -> str:
    return reverse("admin:kb_article_change", args=[article.pk])


def form_data(article: Article, **overrides) -> dict:
    """What the change form posts for `article` unchanged, plus an empty attachments inline."""
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "labels_text": ", ".join(article.labels.values_list("name", flat=True))
        if article.pk
        else "",
        "note": "",
        "section": article.section_id,
        "slug": article.slug,
        "visibility": article.visibility,
        "position": article.position,
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def message_texts(response) -> list[str]:
    """Messages of this response only (the client's storage also holds unread older ones)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def public_html(client, article: Article) -> str:
    client.logout()
    return client.get(article.get_absolute_url(), follow=True).content.decode()


# --- Lists and forms ---------------------------------------------------------------------------


def test_article_changelist_renders_when_every_filter_is_applied(admin_client):
    article = make_article(title="Track your parcel")
    category = article.section.category
    response = admin_client.get(
        reverse(CHANGELIST),
        {
            "status__exact": "published",
            "language": "en",
            "section__category__id__exact": category.pk,
            "visibility__exact": "public",
            "is_outdated__exact": "0",
            "q": "parcel",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Track your parcel" in html
    assert 'name="form-0-position"' in html  # position is editable in the list


def test_article_change_form_renders_preview_publish_button_and_revisions_link(admin_client):
    article = make_article()
    response = admin_client.get(change_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "kb/admin_preview.js" in html
    assert f'data-kb-preview-url="{reverse("admin:kb_article_preview")}"' in html
    assert 'name="_publish"' in html
    assert reverse("admin:kb_article_revisions", args=[article.pk]) in html
    assert "<script>" not in html  # CSP allows only script files from our origin


def test_other_kb_changelists_and_forms_render(admin_client):
    article = make_article()
    services.record_vote(article=article, visitor_id="v1", value="down", reason="unclear")
    faq = services.create_faq(
        category=article.section.category, language="en", question="Q?", answer="A"
    )
    for url in (
        reverse("admin:kb_category_changelist"),
        reverse("admin:kb_category_change", args=[article.section.category_id]),
        reverse("admin:kb_section_changelist"),
        reverse("admin:kb_section_change", args=[article.section_id]),
        reverse("admin:kb_faq_changelist") + "?status__exact=draft&language=en",
        reverse("admin:kb_faq_change", args=[faq.pk]),
        reverse("admin:kb_faq_add"),
        reverse("admin:kb_articlevote_changelist") + "?value__exact=down",
        reverse("admin:kb_article_add"),
    ):
        assert admin_client.get(url).status_code == 200, url


# --- Saving through the services ---------------------------------------------------------------


def test_creating_an_article_in_the_admin_makes_a_draft_with_its_first_revision(admin_client):
    section = SectionFactory()
    data = form_data(Article(section=section), title="Returns", body="Send it back.")
    data.update(language="en", source="", slug="", labels_text="returns, Refunds")
    response = admin_client.post(reverse("admin:kb_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Returns")
    assert article.status == Status.DRAFT and article.slug == "returns"
    assert article.revisions.get().labels == ["refunds", "returns"]
    assert article.revisions.get().author.name == "Ada Admin"


def test_creating_a_second_translation_into_one_language_is_a_form_error(admin_client):
    original = make_article()
    make_article(source=original, language="fi", title="Tilaus")
    data = form_data(Article(section=original.section), title="Toinen", body="x")
    data.update(language="fi", source=original.pk, slug="")
    response = admin_client.post(reverse("admin:kb_article_add"), data)
    assert response.status_code == 200
    assert "already has that translation" in response.content.decode()


def test_editing_a_published_article_keeps_the_live_text_until_save_and_publish(client, admin_user):
    article = make_article(title="Live title", body="Live body")
    client.force_login(admin_user)
    response = client.post(change_url(article), form_data(article, title="New title", body="New"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.has_unpublished_changes
    html = public_html(client, article)
    assert "Live title" in html and "New title" not in html

    client.force_login(admin_user)
    data = form_data(article, title="New title", body="New")
    del data["_save"]
    response = client.post(change_url(article), {**data, "_publish": "Save and publish"})
    assert response.status_code == 302
    assert "Revision 2 is now live." in message_texts(response)
    assert "New title" in public_html(client, article)


def test_each_save_that_changes_the_text_adds_a_revision_with_its_note(admin_client):
    article = make_article(body="one")
    admin_client.post(change_url(article), form_data(article, body="two", note="Fixed typo"))
    admin_client.post(change_url(article), form_data(article, body="two"))  # no change
    admin_client.post(change_url(article), form_data(article, body="three"))
    revisions = list(article.revisions.order_by("number"))
    assert [r.body for r in revisions] == ["one", "two", "three"]
    assert revisions[1].note == "Fixed typo"


def test_saving_an_unchanged_form_as_a_browser_sends_it_adds_no_revision(admin_client):
    # Browsers submit textareas with CRLF line endings; the stored text has LF and may end
    # with a newline. Neither difference is an edit.
    article = make_article(body="## Steps\n\n1. Open it\n2. Pick it\n")
    browser_body = article.body.replace("\n", "\r\n")
    response = admin_client.post(change_url(article), form_data(article, body=browser_body))
    assert response.status_code == 302
    assert article.revisions.count() == 1
    admin_client.post(change_url(article), form_data(article, body="Line one\r\nLine two\r\n"))
    assert article.revisions.order_by("-number").first().body == "Line one\nLine two\n"


def test_metadata_saves_without_a_revision_and_makes_cached_pages_stale(admin_client):
    article = make_article()
    other = SectionFactory()
    before = services.content_version()
    data = form_data(article, section=other.pk, visibility="internal", position=7)
    assert admin_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.section, article.visibility, article.position) == (other, "internal", 7)
    assert article.revisions.count() == 1
    assert services.content_version() > before


def test_list_editable_position_saves_without_touching_the_text(admin_client):
    article = make_article()
    response = admin_client.post(
        reverse(CHANGELIST),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": article.pk,
            "form-0-position": "42",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.position == 42 and article.revisions.count() == 1


# --- Revisions ---------------------------------------------------------------------------------


def test_revision_history_lists_revisions_and_marks_the_live_one(admin_client):
    article = make_article(body="one")
    services.save_article_draft(article=article, title=article.title, summary="", body="two",
                                note="Second go")  # fmt: skip
    response = admin_client.get(reverse("admin:kb_article_revisions", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Second go" in html
    assert html.count('class="kb-live"') == 1
    assert "Latest draft" in html and "Restore this revision" in html


def test_revision_diff_marks_removed_and_added_lines(admin_client):
    article = make_article(body="keep\nold line\nend", labels=["alpha"])
    services.save_article_draft(article=article, title="Renamed", summary=article.summary,
                                body="keep\nnew line\nend", labels=["beta"])  # fmt: skip
    url = reverse("admin:kb_article_revisions", args=[article.pk])
    html = admin_client.get(url, {"from": 1, "to": 2}).content.decode()
    removed = re.search(r'<tr class="kb-diff-removed">.*?</tr>', html, re.S).group(0)
    added = re.search(r'<tr class="kb-diff-added">.*?</tr>', html, re.S).group(0)
    assert "Removed:" in removed and "<del>" in removed
    assert "Added:" in added and "<ins>" in added
    assert "<del>old line</del>" in html and "<ins>new line</ins>" in html
    assert "<del>alpha</del>" in html and "<ins>beta</ins>" in html
    assert "<ins>Renamed</ins>" in html
    assert "Summary:</strong> no changes" in html


def test_restoring_a_revision_by_post_adds_a_new_revision_with_the_old_text(admin_client):
    article = make_article(title="First", body="one")
    services.save_article_draft(article=article, title="Second", summary="", body="two")
    url = reverse("admin:kb_article_restore", args=[article.pk, 1])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    latest = article.revisions.order_by("-number").first()
    assert (latest.number, latest.title, latest.body) == (3, "First", "one")
    assert "Restored from revision 1" in latest.note
    article.refresh_from_db()
    assert article.live_revision.number == 1  # restoring does not publish


# --- Preview -----------------------------------------------------------------------------------


def test_preview_returns_sanitised_html(admin_client):
    body = "# Hi\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) **bold**"
    response = admin_client.post(reverse("admin:kb_article_preview"), {"body": body})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_preview_is_refused_to_non_staff_and_staff_without_change_permission(
    client, agent, make_user
):
    url = reverse("admin:kb_article_preview")
    assert client.post(url, {"body": "x"}).status_code == 302  # anonymous: to the login page
    client.force_login(agent)
    assert client.post(url, {"body": "x"}).status_code == 302
    client.force_login(make_user(role="agent", is_staff=True))
    assert client.post(url, {"body": "x"}).status_code == 403


def test_preview_rejects_bodies_over_200_kb_with_a_clear_400(admin_client):
    url = reverse("admin:kb_article_preview")
    response = admin_client.post(url, {"body": "a" * (200 * 1024 + 1)})
    assert response.status_code == 400
    assert "too long to preview" in response.content.decode()
    assert admin_client.post(url, {"body": "a" * (200 * 1024)}).status_code == 200
    assert admin_client.get(url).status_code == 405


# --- Actions -----------------------------------------------------------------------------------


def run_action(client, action: str, articles) -> list[str]:
    data = {"action": action, "_selected_action": [a.pk for a in articles]}
    response = client.post(reverse(CHANGELIST), data, follow=True)
    assert response.redirect_chain[-1][1] == 302
    return [str(m) for m in response.context["messages"]]


def test_publish_unpublish_archive_and_review_actions_report_how_many_changed(admin_client):
    drafts = [make_article(publish=False, title=f"Draft {n}") for n in range(2)]
    live = make_article()
    assert run_action(admin_client, "publish_selected", [*drafts, live]) == [
        "2 articles were published."
    ]
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert run_action(admin_client, "unpublish_selected", [live]) == ["1 article was unpublished."]
    assert run_action(admin_client, "submit_selected", [live, drafts[0]]) == [
        "1 article was submitted for review."  # a published one stays live
    ]
    assert run_action(admin_client, "archive_selected", drafts) == ["2 articles were archived."]
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {drafts[0].pk: "archived", drafts[1].pk: "archived", live.pk: "in_review"}


def test_duplicate_as_translation_creates_a_draft_in_that_language(admin_client):
    original = make_article(title="Track your order")
    assert run_action(admin_client, "duplicate_fi", [original]) == [
        "1 translation draft was created."
    ]
    copy = Article.objects.get(source=original, language="fi")
    assert copy.status == Status.DRAFT and copy.title == "Track your order"


def test_duplicate_as_translation_reports_an_existing_translation_as_an_error(admin_client):
    original = make_article(title="Track your order")
    make_article(source=original, language="zh-hans", title="跟踪订单")
    texts = run_action(admin_client, "duplicate_zh_hans", [original])
    assert "“Track your order [en]”: A zh-hans translation of this article already exists." in (
        texts
    )
    assert "0 translation drafts were created." in texts
    assert Article.objects.filter(source=original).count() == 1


# --- Translation status ------------------------------------------------------------------------


def test_translation_status_shows_each_language_state_in_words(admin_client):
    original = make_article(title="Original")
    make_article(source=original, language="fi", title="Käännös")
    services.save_article_draft(article=original, title="Original", summary="", body="v2")
    services.publish_article(article=original)  # the fi translation is now outdated
    make_article(source=original, language="ar", title="ترجمة", publish=False)
    html = admin_client.get(reverse(CHANGELIST), {"language": "en"}).content.decode()
    states = dict(re.findall(r"<abbr title=\"[^\"]+\">([A-Z-]+)</abbr> ([\w ]+)</li>", html))
    assert states == {"EN": "Published", "FI": "Outdated", "AR": "Draft", "ZH-HANS": "Missing"}

    panel = admin_client.get(change_url(original)).content.decode()
    assert "this article" in panel and "Käännös" in panel and "Missing" in panel


def test_changelist_query_count_does_not_grow_with_the_number_of_articles(admin_client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(reverse(CHANGELIST)).status_code == 200
        return len(ctx.captured_queries)

    def add_articles(n: int) -> None:
        for i in range(n):
            original = make_article(title=f"Article {i}")
            make_article(source=original, language="fi", title=f"Artikkeli {i}")

    add_articles(3)
    few = count_queries()
    add_articles(12)
    assert count_queries() == few


# --- Attachments -------------------------------------------------------------------------------


def attachment_data(article: Article, upload) -> dict:
    data = form_data(article)
    data.update({"attachments-TOTAL_FORMS": "1", "attachments-0-file": upload})
    return data


def test_uploaded_attachment_records_name_type_size_uploader_and_shows_its_url(
    admin_client, admin_user
):
    article = make_article()
    upload = SimpleUploadedFile("map.png", b"\x89PNG fake", content_type="image/png")
    response = admin_client.post(change_url(article), attachment_data(article, upload))
    assert response.status_code == 302
    item = ArticleAttachment.objects.get(article=article)
    assert (item.filename, item.content_type, item.size) == ("map.png", "image/png", 9)
    assert item.uploaded_by == admin_user
    html = admin_client.get(change_url(article)).content.decode()
    assert f"![map.png]({item.get_absolute_url()})" in html


def test_attachment_over_the_size_limit_is_refused_with_a_clear_error(admin_client, settings):
    settings.MAX_ATTACHMENT_BYTES = 8
    article = make_article()
    upload = SimpleUploadedFile("big.pdf", b"0123456789", content_type="application/pdf")
    response = admin_client.post(change_url(article), attachment_data(article, upload))
    assert response.status_code == 200
    assert "“big.pdf” is 10\xa0bytes; files can be at most 8\xa0bytes." in (
        response.content.decode()
    )
    assert not ArticleAttachment.objects.exists()


# --- FAQs, categories, votes -------------------------------------------------------------------


def faq_data(**overrides) -> dict:
    return {"language": "en", "source": "", "status": "draft", "position": "", **overrides}


def test_faq_saved_in_the_admin_has_its_answer_rendered(admin_client):
    category = CategoryFactory()
    data = faq_data(category=category.pk, question="Do you ship?", answer="**Yes**, worldwide.")
    response = admin_client.post(reverse("admin:kb_faq_add"), data)
    assert response.status_code == 302
    faq = Faq.objects.get()
    assert faq.answer_html == "<p><strong>Yes</strong>, worldwide.</p>"
    assert faq.position == 1  # empty position: placed at the end

    data.update(answer="No <script>x</script>", status="published", position=3)
    response = admin_client.post(reverse("admin:kb_faq_change", args=[faq.pk]), data)
    assert response.status_code == 302
    faq.refresh_from_db()
    assert "<script" not in faq.answer_html and faq.status == "published" and faq.position == 3


def test_faq_translation_rules_are_form_errors_not_crashes(admin_client):
    category = CategoryFactory()
    source = services.create_faq(category=category, language="en", question="Q?", answer="A")
    services.create_faq(category=category, language="fi", question="K?", answer="V", source=source)
    url = reverse("admin:kb_faq_add")
    for language, source_id in (("fi", source.pk), ("en", source.pk)):
        data = faq_data(category=category.pk, question="X", answer="Y", language=language,
                        source=source_id)  # fmt: skip
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
    assert Faq.objects.count() == 2


def test_faq_actions_publish_and_unpublish(admin_client):
    category = CategoryFactory()
    faqs = [services.create_faq(category=category, language="en", question=f"Q{n}", answer="A")
            for n in range(2)]  # fmt: skip
    url = reverse("admin:kb_faq_changelist")
    data = {"action": "publish_selected", "_selected_action": [f.pk for f in faqs]}
    response = admin_client.post(url, data, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["2 questions were published."]
    data = {"action": "unpublish_selected", "_selected_action": [faqs[0].pk]}
    response = admin_client.post(url, data, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["1 question was unpublished."]
    assert list(Faq.objects.order_by("pk").values_list("status", flat=True)) == [
        "draft",
        "published",
    ]


def test_category_save_with_translation_inline_makes_cached_pages_stale(admin_client):
    category = CategoryFactory(names={"en": "Orders"})
    before = services.content_version()
    translation = category.translations.get()
    data = {
        "slug": category.slug,
        "position": 5,
        "icon": "",
        "translations-TOTAL_FORMS": "2",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": translation.pk,
        "translations-0-category": category.pk,
        "translations-0-language": "en",
        "translations-0-name": "Orders",
        "translations-1-category": category.pk,
        "translations-1-language": "fi",
        "translations-1-name": "Tilaukset",
    }
    response = admin_client.post(reverse("admin:kb_category_change", args=[category.pk]), data)
    assert response.status_code == 302
    assert set(category.translations.values_list("name", flat=True)) == {"Orders", "Tilaukset"}
    assert services.content_version() > before


def test_vote_admin_lists_the_reasons_and_is_read_only(admin_client):
    article = make_article(title="Returns")
    services.record_vote(article=article, visitor_id="v1", value="down", reason="outdated",
                         comment="Prices changed")  # fmt: skip
    vote = ArticleVote.objects.get()
    html = admin_client.get(reverse("admin:kb_articlevote_changelist")).content.decode()
    assert "Returns" in html and "outdated" in html and "Prices changed" in html
    assert admin_client.get(reverse("admin:kb_articlevote_add")).status_code == 403
    change = admin_client.get(reverse("admin:kb_articlevote_change", args=[vote.pk]))
    assert 'name="_save"' not in change.content.decode()


# --- Translations of the admin's own strings ---------------------------------------------------

MSGID = re.compile(r"""(?:\b_|\bngettext)\(\s*"((?:[^"\\]|\\.)+)"(?:,\s*"((?:[^"\\]|\\.)+)")?""")
TEMPLATE_MSGID = re.compile(r"""{% translate ["']([^"']+)["'] %}""")
BLOCK_MSGID = re.compile(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", re.S)


def test_every_admin_string_has_finnish_arabic_and_chinese_translations():
    import django

    strings = {}
    for path in (ROOT / "locale" / "strings").glob("*.yml"):
        strings.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    django_po = Path(django.__file__).parent / "contrib/admin/locale/fi/LC_MESSAGES/django.po"
    django_ids = set(re.findall(r'^msgid "(.+)"$', django_po.read_text(), re.M))
    found = set()
    for name in ("kb/admin.py", "kb/admin_views.py"):
        found |= {m[0] for m in MSGID.findall((ROOT / name).read_text())}
    for template in (ROOT / "templates/admin/kb").rglob("*.html"):
        text = template.read_text()
        found |= set(TEMPLATE_MSGID.findall(text))
        found |= {re.sub(r"{{ (\w+) }}", r"%(\1)s", " ".join(m.split())) for m in
                  BLOCK_MSGID.findall(text)}  # fmt: skip
    missing = sorted(m for m in found if m not in strings and m not in django_ids)
    assert not missing, "\n".join(missing)
    for msgid in found - django_ids:
        entry = strings[msgid]
        assert set(entry) == {"fi", "ar", "zh_Hans"}, msgid
        if isinstance(entry["ar"], list):
            assert (len(entry["fi"]), len(entry["ar"]), len(entry["zh_Hans"])) == (2, 6, 1)
