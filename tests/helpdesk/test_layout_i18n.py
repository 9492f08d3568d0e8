"""Every layout speaks the four UI languages, mirrors for Arabic, and offers a skip link."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [
        ("en", "ltr", "How can we help?"),
        ("fi", "ltr", "Miten voimme auttaa?"),
        ("ar", "rtl", "كيف يمكننا مساعدتك؟"),
        ("zh-hans", "ltr", "需要什么帮助？"),
    ],
)
def test_home_is_translated_and_directed_when_language_is_chosen(client, lang, direction, heading):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert heading in html


@pytest.mark.django_db
def test_home_has_landmarks_skip_link_and_hreflang(client):
    html = client.get("/en/").content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    for code in ("en", "fi", "ar", "zh-hans"):
        assert f'hreflang="{code}" href="http://testserver/{code}/"' in html


@pytest.mark.django_db
def test_root_redirects_to_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fi-FI,fi;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fi/"


@pytest.mark.django_db
def test_language_switcher_keeps_the_page_when_switching(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.django_db
def test_unknown_page_offers_search_with_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert 'role="search"' in response.content.decode()


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/en/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
