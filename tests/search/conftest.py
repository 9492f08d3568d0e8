"""Search test fixtures: an empty index per test and helpers to publish and index content."""

from __future__ import annotations

import pytest
from haystack import connections

from helpdesk.search_tasks import sync_documents
from tests.kb.factories import SectionFactory, make_article


@pytest.fixture
def search_index(db):
    """A clean index; content created in the test is indexed explicitly with `index_now`."""
    backend = connections["default"].get_backend()
    backend.clear()
    yield backend
    backend.clear()


def index_now(*articles) -> None:
    """Run the index task now (tests run inside one transaction, so on-commit never fires)."""
    for article in articles:
        sync_documents(f"{article._meta.app_label}.{article._meta.model_name}", [article.pk])


@pytest.fixture
def corpus(search_index):
    """A small help center in four languages, indexed."""
    section = SectionFactory(names={"en": "Orders", "fi": "Tilaukset", "ar": "الطلبات",
                                    "zh-hans": "订单"})  # fmt: skip
    made = {
        "en_ship": make_article(section=section, title="When is my parcel shipped?",
                                body="We ship in a day. Shipped parcels get a tracking link.",
                                labels=["delivery"]),
        "en_return": make_article(section=section, title="Our return policy",
                                  body="You can return items within 30 days.", labels=["returns"]),
        "fi_service": make_article(section=section, language="fi", title="Ota yhteyttä",
                                   body="Asiakaspalvelu vastaa arkisin. Tilaus näkyy tililläsi."),
        "zh_center": make_article(section=section, language="zh-hans", title="联系我们",
                                  body="中国呼叫中心市场正在增长，我们的客服中心全天在线。"),
        "zh_return": make_article(section=section, language="zh-hans", title="退货政策",
                                  body="如何申请退货和退款：登录账户后提交申请。"),
        "ar_return": make_article(section=section, language="ar", title="سياسة الإرجاع",
                                  body="يمكنك إرجاع الطلب خلال ثلاثين يومًا واسترداد المبلغ."),
        "draft": make_article(section=section, title="Secret return draft", body="return secret",
                              publish=False),
        "internal": make_article(section=section, title="Return fraud procedure",
                                 body="internal return checks", visibility="internal"),
    }  # fmt: skip
    index_now(*made.values())
    return made
