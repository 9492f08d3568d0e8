"""The /api/v1/kb/ API: public reads by language, votes, staff editing through the services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kb import api as kb_api
from kb import services
from kb.models import Article, ArticleVote, Faq
from tests.helpdesk.factories import TEST_PASSWORD
from tests.kb.factories import CategoryFactory, SectionFactory, make_article

pytestmark = pytest.mark.django_db

BASE = "/api/v1/kb"
VISITOR = "visitor-0123456789"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def editor(admin_user) -> APIClient:
    """A superuser with staff status: holds every kb permission."""
    editor = APIClient()
    editor.force_authenticate(admin_user)
    return editor


@pytest.fixture
def kb():
    """An original with fi/ar/zh translations, an English-only article and hidden ones."""
    category = CategoryFactory(
        slug="orders", names={"en": "Orders", "ar": "الطلبات", "zh-hans": "订单", "fi": "Tilaukset"}
    )
    section = SectionFactory(category=category, slug="shipping", names={"en": "Shipping"})
    track = make_article(section=section, title="Track your order", labels=["tracking"])
    translations = {
        "fi": ("Seuraa tilaustasi", "Avaa **Tilaukseni** <script>alert(1)</script>"),
        "ar": ("تتبع طلبك", "افتح **طلباتي** واختر الطلب."),
        "zh-hans": ("跟踪您的订单", "打开**我的订单**并选择订单。"),
    }
    for language, (title, body) in translations.items():
        make_article(source=track, language=language, title=title, body=body)
    return {
        "category": category,
        "section": section,
        "track": track,
        "returns": make_article(section=section, title="Return an item"),
        "draft": make_article(section=section, title="Secret draft", publish=False),
        "archived": services.archive_article(article=make_article(section=section, title="Old")),
        "internal": make_article(section=section, title="Refund override", visibility="internal"),
    }


def _titles(cards: list[dict]) -> dict[int, tuple[str, str, bool]]:
    return {c["id"]: (c["title"], c["language"], c["is_fallback"]) for c in cards}


# --- Public reads ----------------------------------------------------------------------------


def test_categories_show_arabic_names_sections_with_fallback_and_public_counts(api, kb):
    response = api.get(f"{BASE}/categories/", {"lang": "ar"})
    assert response.status_code == 200
    [category] = response.json()
    assert (category["name"], category["language"], category["is_fallback"]) == (
        "الطلبات",
        "ar",
        False,
    )
    assert category["article_count"] == 2  # draft, archived and internal are not counted
    [section] = category["sections"]
    assert (section["name"], section["language"], section["is_fallback"]) == (
        "Shipping",
        "en",
        True,
    )
    assert section["url"].startswith("http://testserver/ar/categories/orders/shipping/")


def test_category_detail_lists_chinese_cards_and_english_fallbacks(api, kb):
    response = api.get(f"{BASE}/categories/orders/", {"lang": "zh-hans"})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "订单"
    cards = _titles(body["sections"][0]["articles"])
    assert cards == {
        kb["track"].pk: ("跟踪您的订单", "zh-hans", False),
        kb["returns"].pk: ("Return an item", "en", True),
    }


def test_category_detail_is_404_when_the_slug_is_unknown(api, kb):
    assert api.get(f"{BASE}/categories/nope/").status_code == 404


def test_article_list_gives_one_finnish_card_per_group_with_fallback_flags(api, kb):
    response = api.get(f"{BASE}/articles/", {"lang": "fi"})
    assert response.status_code == 200
    body = response.json()
    assert _titles(body["results"]) == {
        kb["track"].pk: ("Seuraa tilaustasi", "fi", False),
        kb["returns"].pk: ("Return an item", "en", True),
    }
    assert [c["id"] for c in body["results"]] == [kb["returns"].pk, kb["track"].pk]
    assert (body["results"][1]["category"], body["results"][1]["section"]) == ("orders", "shipping")
    assert "count" not in body and body["next"] is None


def test_article_list_falls_back_to_the_original_when_neither_language_exists(api, kb):
    finnish_only = make_article(section=kb["section"], language="fi", title="Vain suomeksi")
    cards = _titles(api.get(f"{BASE}/articles/", {"lang": "ar"}).json()["results"])
    assert cards[finnish_only.pk] == ("Vain suomeksi", "fi", True)
    assert cards[kb["track"].pk] == ("تتبع طلبك", "ar", False)


def test_article_list_filters_by_category_section_and_label(api, kb):
    other = make_article(title="Gift cards", labels=["gifts"])

    def ids(**query: str) -> list[int]:
        return [c["id"] for c in api.get(f"{BASE}/articles/", query).json()["results"]]

    assert ids(label="tracking") == [kb["track"].pk]
    assert ids(category="orders") == [kb["returns"].pk, kb["track"].pk]
    assert ids(category=other.section.category.slug, section=other.section.slug) == [other.pk]
    assert ids(category="nope") == []


def test_hidden_articles_never_appear_in_the_public_list(api, customer, kb):
    hidden = {kb[key].pk for key in ("draft", "archived", "internal")}
    for user in (None, customer):
        api.force_authenticate(user)
        ids = {c["id"] for c in api.get(f"{BASE}/articles/").json()["results"]}
        assert ids == {kb["track"].pk, kb["returns"].pk} and not ids & hidden


def test_agents_see_internal_articles_flagged_in_the_list_and_detail(api, agent, kb):
    api.force_authenticate(agent)
    cards = {c["id"]: c for c in api.get(f"{BASE}/articles/").json()["results"]}
    assert cards[kb["internal"].pk]["is_internal"] is True
    assert cards[kb["track"].pk]["is_internal"] is False
    detail = api.get(f"{BASE}/articles/{kb['internal'].pk}/").json()
    assert (detail["title"], detail["is_internal"]) == ("Refund override", True)
    assert api.get(f"{BASE}/articles/{kb['draft'].pk}/").status_code == 404


def test_article_detail_renders_the_finnish_live_revision_sanitised(api, kb):
    response = api.get(f"{BASE}/articles/{kb['track'].pk}/", {"lang": "fi"})
    assert response.status_code == 200
    article = response.json()
    assert (article["title"], article["language"], article["is_fallback"]) == (
        "Seuraa tilaustasi",
        "fi",
        False,
    )
    assert "<strong>Tilaukseni</strong>" in article["body_html"]
    assert "<script" not in article["body_html"]
    assert [t["language"] for t in article["translations"]] == ["ar", "en", "fi", "zh-hans"]
    assert article["url"].startswith(f"http://testserver/fi/articles/{kb['track'].pk}/")
    assert article["labels"] == [] and article["updated_at"]  # the translation's own labels
    assert article["category"]["name"] == "Tilaukset"


def test_article_detail_falls_back_to_english_with_a_flag(api, kb):
    article = api.get(f"{BASE}/articles/{kb['returns'].pk}/", {"lang": "ar"}).json()
    assert (article["title"], article["language"], article["is_fallback"]) == (
        "Return an item",
        "en",
        True,
    )


@pytest.mark.parametrize("key", ["draft", "archived", "internal"])
@pytest.mark.parametrize("as_customer", [False, True])
def test_hidden_article_detail_is_404_for_anonymous_readers_and_customers(
    api, customer, kb, key, as_customer
):
    if as_customer:
        api.force_authenticate(customer)
    assert api.get(f"{BASE}/articles/{kb[key].pk}/").status_code == 404


def test_article_detail_is_404_when_given_a_translation_id_instead_of_the_group(api, kb):
    translation = Article.objects.get(source=kb["track"], language="fi")
    assert api.get(f"{BASE}/articles/{translation.pk}/", {"lang": "fi"}).status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/categories/"),
        ("get", "/categories/orders/"),
        ("get", "/articles/"),
        ("get", "/articles/{id}/"),
        ("get", "/faqs/"),
        ("post", "/articles/{id}/votes"),
    ],
)
def test_unknown_lang_is_400_with_a_message_naming_the_choices(api, kb, method, path):
    url = BASE + path.format(id=kb["track"].pk) + "?lang=klingon"
    if method == "get":
        response = api.get(url)
    else:
        response = api.post(url, {"value": "up", "visitor_id": VISITOR}, format="json")
    assert response.status_code == 400
    assert response.json()["lang"] == [
        '"klingon" is not a supported language. Use one of: en, fi, ar, zh-hans.'
    ]


def test_cursor_pagination_follows_next_links_without_repeats(api):
    section = SectionFactory()
    ids = [make_article(section=section, title=f"Article {i}").pk for i in range(5)]
    seen, url, pages = [], f"{BASE}/articles/?page_size=2", 0
    while url:
        body = api.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url, pages = body["next"], pages + 1
    assert seen == sorted(ids, reverse=True) and pages == 3


def test_page_size_is_capped(api, monkeypatch):
    assert (
        kb_api.ArticleCursorPagination.page_size,
        kb_api.ArticleCursorPagination.max_page_size,
    ) == (20, 100)
    monkeypatch.setattr(kb_api.ArticleCursorPagination, "max_page_size", 2)
    section = SectionFactory()
    for i in range(3):
        make_article(section=section, title=f"Article {i}")
    body = api.get(f"{BASE}/articles/", {"page_size": 50}).json()
    assert len(body["results"]) == 2 and body["next"]


def _list_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"{BASE}/articles/", {"lang": "fi"})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_article_list_query_count_does_not_grow_with_the_page(api):
    section = SectionFactory()

    def fill(n: int) -> None:
        for i in range(n):
            original = make_article(section=section, title=f"Article {i}", labels=["a", f"l{i}"])
            if i % 2:
                make_article(source=original, language="fi", title=f"Artikkeli {i}")

    fill(5)
    few, rows = _list_queries(api)
    assert rows == 5
    fill(20)
    many, rows = _list_queries(api)
    assert rows == 20  # the default page size
    assert many == few


def _faq(category, question: str, language: str = "en", **kwargs) -> Faq:
    kwargs.setdefault("status", "published")
    return services.create_faq(
        category=category, language=language, question=question, answer=f"{question} …", **kwargs
    )


def test_faqs_fall_back_per_group_and_hide_drafts(api):
    category = CategoryFactory(slug="billing")
    _faq(category, "Maksettu?", language="fi", source=_faq(category, "Paid?"))
    _faq(category, "Refund?")
    _faq(category, "Draft?", status="draft")
    other = _faq(CategoryFactory(), "Other?")

    faqs = api.get(f"{BASE}/faqs/", {"lang": "fi", "category": "billing"}).json()
    assert [(f["question"], f["is_fallback"]) for f in faqs] == [
        ("Maksettu?", False),
        ("Refund?", True),
    ]
    assert "<p>Maksettu? …</p>" in faqs[0]["answer_html"]
    everything = {f["id"] for f in api.get(f"{BASE}/faqs/").json()}
    assert other.pk in everything and len(everything) == 3


# --- Votes -----------------------------------------------------------------------------------


def test_a_second_vote_by_the_same_visitor_updates_instead_of_adding(api, kb):
    url = f"{BASE}/articles/{kb['track'].pk}/votes?lang=fi"
    vote = {"value": "up", "visitor_id": VISITOR}
    first = api.post(url, vote, format="json")
    assert first.status_code == 201 and first.json()["is_new"] is True
    same = api.post(url, vote, format="json")
    assert same.status_code == 200 and same.json()["is_changed"] is False
    changed = api.post(url, {**vote, "value": "down", "reason": "outdated"}, format="json")
    assert changed.status_code == 200 and changed.json()["is_changed"] is True
    stored = ArticleVote.objects.get()
    assert (stored.value, stored.reason, stored.article.language) == ("down", "outdated", "fi")
    assert (
        api.post(url, {**vote, "visitor_id": "another-visitor"}, format="json").status_code == 201
    )
    assert ArticleVote.objects.count() == 2


def test_vote_without_visitor_id_is_400_and_records_nothing(api, kb):
    response = api.post(f"{BASE}/articles/{kb['track'].pk}/votes", {"value": "up"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "visitor_id": ["A visitor id is required to count one vote per reader."]
    }
    assert not ArticleVote.objects.exists()


def test_vote_on_a_draft_is_404(api, kb):
    url = f"{BASE}/articles/{kb['draft'].pk}/votes"
    assert api.post(url, {"value": "up", "visitor_id": VISITOR}, format="json").status_code == 404


def test_votes_are_throttled_per_address(api, kb):
    url = f"{BASE}/articles/{kb['track'].pk}/votes"
    codes = {
        api.post(url, {"value": "up", "visitor_id": VISITOR}, format="json").status_code
        for _ in range(30)
    }
    assert codes == {200, 201}
    assert api.post(url, {"value": "up", "visitor_id": VISITOR}, format="json").status_code == 429


# --- Staff -----------------------------------------------------------------------------------

STAFF_CALLS = [
    ("post", "/staff/articles", {"title": "x", "language": "en"}),
    ("get", "/staff/articles/{id}", None),
    ("patch", "/staff/articles/{id}", {"title": "y"}),
    ("post", "/staff/articles/{id}/publish", None),
    ("get", "/staff/articles/{id}/revisions", None),
    ("post", "/staff/articles/{id}/revisions/1/restore", None),
    ("post", "/staff/articles/{id}/translations", {"language": "fi"}),
    ("post", "/staff/faqs", {"question": "q", "answer": "a", "language": "en"}),
    ("patch", "/staff/faqs/{faq}", {"answer": "b"}),
    ("post", "/staff/faqs/{faq}/publish", None),
]


@pytest.mark.parametrize("who, code", [("anonymous", 401), ("customer", 403), ("agent", 403)])
@pytest.mark.parametrize("method, path, data", STAFF_CALLS)
def test_staff_endpoints_refuse_anyone_without_staff_status_and_kb_permission(
    api, request, kb, who, code, method, path, data
):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    faq = services.create_faq(category=kb["category"], language="en", question="q", answer="a")
    url = BASE + path.format(id=kb["track"].pk, faq=faq.pk)
    assert getattr(api, method)(url, data, format="json").status_code == code


def test_staff_agent_gets_exactly_the_kb_permissions_granted(api, agent, kb):
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    agent.user_permissions.add(Permission.objects.get(codename="view_article"))
    api.force_authenticate(agent)
    url = f"{BASE}/staff/articles/{kb['track'].pk}"
    assert api.get(url).status_code == 200
    assert api.patch(url, {"title": "Changed"}, format="json").status_code == 403


def test_token_and_session_authentication_both_work(admin_user, kb):
    url = f"{BASE}/staff/articles/{kb['track'].pk}"
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_user).key}")
    assert by_token.get(url).status_code == 200
    by_session = APIClient()
    assert by_session.login(email=admin_user.email, password=TEST_PASSWORD)
    assert by_session.get(url).status_code == 200


def _public_body(api, group_id: int) -> str | int:
    response = api.get(f"{BASE}/articles/{group_id}/")
    return response.json()["body_html"] if response.status_code == 200 else response.status_code


def test_create_update_publish_keeps_the_live_text_until_publish(api, editor, kb):
    created = editor.post(
        f"{BASE}/staff/articles",
        {
            "section": kb["section"].pk,
            "language": "en",
            "title": "Reset your password",
            "body": "Use the *link*.",
            "labels": ["Account Help"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    article = created.json()
    assert (article["status"], article["live_revision"], article["latest_revision"]) == (
        "draft",
        None,
        1,
    )
    assert article["labels"] == ["account-help"] and article["has_unpublished_changes"] is True
    url = f"{BASE}/staff/articles/{article['id']}"
    assert _public_body(api, article["id"]) == 404

    published = editor.post(f"{url}/publish").json()
    assert (published["status"], published["live_revision"]) == ("published", 1)
    assert "<em>link</em>" in _public_body(api, article["id"])

    patched = editor.patch(url, {"body": "Use the *new* link."}, format="json").json()
    assert (patched["live_revision"], patched["latest_revision"]) == (1, 2)
    assert patched["has_unpublished_changes"] is True and patched["body"] == "Use the *new* link."
    assert "<em>new</em>" not in _public_body(api, article["id"])

    editor.post(f"{url}/publish")
    assert "<em>new</em>" in _public_body(api, article["id"])


def test_unpublish_and_archive_take_the_article_off_the_public_api(api, editor, kb):
    group = kb["returns"].pk
    assert editor.post(f"{BASE}/staff/articles/{group}/unpublish").json()["status"] == "draft"
    assert _public_body(api, group) == 404
    editor.post(f"{BASE}/staff/articles/{group}/publish")
    assert editor.post(f"{BASE}/staff/articles/{group}/archive").json()["status"] == "archived"
    assert _public_body(api, group) == 404


def test_patching_visibility_hides_the_article_from_the_public(api, editor, kb):
    url = f"{BASE}/staff/articles/{kb['returns'].pk}"
    response = editor.patch(url, {"visibility": "internal", "position": 4}, format="json")
    assert response.status_code == 200
    assert (response.json()["visibility"], response.json()["latest_revision"]) == ("internal", 1)
    assert _public_body(api, kb["returns"].pk) == 404


def test_restore_brings_an_old_revision_back_as_the_newest(editor, kb):
    url = f"{BASE}/staff/articles/{kb['returns'].pk}"
    editor.patch(url, {"title": "Return anything", "note": "broader"}, format="json")
    restored = editor.post(f"{url}/revisions/1/restore")
    assert restored.status_code == 200
    assert (restored.json()["title"], restored.json()["latest_revision"]) == ("Return an item", 3)
    revisions = editor.get(f"{url}/revisions").json()
    assert [(r["number"], r["is_live"]) for r in revisions] == [(3, False), (2, False), (1, True)]
    assert revisions[0]["note"] == "Restored from revision 1"
    assert editor.post(f"{url}/revisions/9/restore").status_code == 404


def test_translation_is_created_once_then_refused_with_the_service_message(editor, kb):
    url = f"{BASE}/staff/articles/{kb['returns'].pk}/translations"
    created = editor.post(url, {"language": "ar"}, format="json")
    assert created.status_code == 201
    assert (created.json()["language"], created.json()["source"]) == ("ar", kb["returns"].pk)
    assert created.json()["title"] == "Return an item" and created.json()["status"] == "draft"
    again = editor.post(url, {"language": "ar"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"detail": "A ar translation of this article already exists."}
    same = editor.post(url, {"language": "en"}, format="json")
    assert same.json() == {"detail": "A translation must be in another language than its source."}


def test_invalid_article_input_gets_field_errors_and_unknown_fields_are_refused(editor, kb):
    response = editor.post(
        f"{BASE}/staff/articles",
        {
            "language": "xx",
            "section": 99999,
            "status": "published",
            "author": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"language", "section", "title", "status", "author"}
    assert errors["section"] == ["There is no section with id 99999."]
    assert errors["status"] == ["This field cannot be set here."]
    patch = editor.patch(
        f"{BASE}/staff/articles/{kb['track'].pk}", {"status": "published"}, format="json"
    )
    assert (
        patch.status_code == 400
        and Article.objects.get(pk=kb["track"].pk).title == "Track your order"
    )


def test_staff_faq_create_publish_and_edit_reach_the_public_list(api, editor, kb):
    created = editor.post(
        f"{BASE}/staff/faqs",
        {
            "category": kb["category"].pk,
            "language": "en",
            "question": "Can I cancel?",
            "answer": "Yes, **before** shipping.",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    faq_id = created.json()["id"]
    assert api.get(f"{BASE}/faqs/").json() == []
    assert editor.post(f"{BASE}/staff/faqs/{faq_id}/publish").json()["status"] == "published"
    editor.patch(
        f"{BASE}/staff/faqs/{faq_id}", {"answer": "Only *before* shipping."}, format="json"
    )
    [faq] = api.get(f"{BASE}/faqs/").json()
    assert faq["question"] == "Can I cancel?" and "<em>before</em>" in faq["answer_html"]

    translation = {
        "source": faq_id,
        "language": "fi",
        "question": "Voinko peruuttaa?",
        "answer": "Kyllä.",
    }
    assert editor.post(f"{BASE}/staff/faqs", translation, format="json").status_code == 201
    again = editor.post(f"{BASE}/staff/faqs", translation, format="json")
    assert again.json() == {"language": ["A fi translation of this FAQ already exists."]}
    assert Faq.objects.count() == 2


# --- Schema ----------------------------------------------------------------------------------


def test_openapi_schema_generates_without_warnings_and_documents_the_kb_api(api, tmp_path):
    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = path.read_text()
    for operation in ("kb_articles_list", "kb_articles_votes_create", "kb_staff_articles_publish"):
        assert f"operationId: {operation}" in schema
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/kb/staff/articles/{id}/revisions/{number}/restore" in response.content
