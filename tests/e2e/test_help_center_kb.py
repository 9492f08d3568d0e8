"""A reader browses home → article in a real browser, votes, and switches to Arabic."""

import pytest

from kb import services
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.kb.factories import SectionFactory, make_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = """Follow your parcel from our warehouse to your door.

## Where to find the tracking link

Open **My orders** and pick the order.

## When the status does not change

Tracking can pause for a day at the border.

## Still no parcel?

Contact us and we will open an investigation.
"""


@pytest.fixture
def article():
    section = SectionFactory(names={"en": "Tracking", "ar": "التتبع"})
    source = make_article(section=section, title="Track your order", body=BODY, labels=["tracking"])
    make_article(
        source=source,
        language="ar",
        title="تتبع طلبك",
        body="## أين رابط التتبع\n\nافتح **طلباتي**.",
    )
    make_article(section=section, title="Missing parcels", labels=["tracking"])
    return source


def test_reader_finds_an_article_votes_and_reads_it_in_arabic(page, live_server, article):
    page.goto(f"{live_server.url}/en/")
    assert_accessible(page)
    page.get_by_role("link", name="Track your order").first.click()
    page.wait_for_url(f"**/en/articles/{article.pk}/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Track your order"
    toc = page.get_by_role("navigation", name="On this page")
    assert toc.get_by_role("link").count() == 3
    assert page.get_by_role("link", name="Missing parcels").is_visible()  # related article
    assert_accessible(page)

    page.get_by_role("button", name="No").click()
    page.get_by_label("It did not answer my question").check()
    page.get_by_label("Anything else we should know? (optional)").fill("Which courier?")
    page.get_by_role("button", name="Send feedback").click()
    assert page.get_by_role("heading", name="Thanks for your feedback!").is_visible()
    vote = article.votes.get()
    assert (vote.value, vote.reason, vote.comment) == ("down", "incomplete", "Which courier?")
    save_screenshot(page, "kb-article-en")

    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url(f"**/ar/articles/{article.pk}/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "تتبع طلبك"
    assert_accessible(page)
    save_screenshot(page, "kb-article-ar")


def test_finnish_reader_is_told_the_article_is_shown_in_english(page, live_server, article):
    page.goto(f"{live_server.url}/fi/articles/{article.pk}/{article.slug}/")
    assert page.get_by_role("note").inner_text().startswith("Tämä artikkeli ei ole vielä")
    assert page.locator("article").get_attribute("lang") == "en"
    assert_accessible(page)


def test_faq_question_opens_from_a_shared_link(page, live_server, article):
    faq = services.create_faq(
        category=article.section.category, language="en", question="Can I change my order?",
        answer="Yes, within **one hour**.", status="published",
    )  # fmt: skip
    page.goto(f"{live_server.url}/en/faq/#faq-{faq.pk}")
    assert page.locator(f"#faq-{faq.pk}").get_attribute("open") is not None
    assert page.get_by_text("within one hour").is_visible()
    assert_accessible(page)
    save_screenshot(page, "kb-faq-en")
