"""Every metric the dashboard, the CSV exports and the API show: key, label, help, formula.

`docs/metrics.md` publishes the same definitions (a test keeps the two in step). Stored
metrics are what the roll-up writes (`EVENT_COUNTS`, `SESSION_METRICS`, `BREAKDOWNS`); the
reports below are computed from them by `analytics.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# --- What the roll-up stores ------------------------------------------------------------------
# metric key -> (event kind, optional (data key, value) condition). Counted per hour and per day.
EVENT_COUNTS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "searches": ("search.performed", None),
    "search_clicks": ("search.result_clicked", None),
    "article_views": ("kb.article_viewed", None),
    "faq_opens": ("kb.faq_opened", None),
    "guides_started": ("guide.started", None),
    "guides_completed": ("guide.completed", None),
    "guides_abandoned": ("guide.abandoned", None),
    "chat_sessions": ("chat.session_started", None),
    "chat_escalations": ("chat.escalated", None),
    "bot_resolutions": ("chat.resolved_by_bot", None),
    "tickets_created": ("ticket.created", None),
    "tickets_assigned": ("ticket.assigned", None),
    "first_responses": ("ticket.first_response", None),
    "agent_replies": ("ticket.agent_replied", None),
    "tickets_solved": ("ticket.solved", None),
    "tickets_reopened": ("ticket.reopened", None),
    "ratings_good": ("ticket.rated", ("rating", "good")),
    "ratings_bad": ("ticket.rated", ("rating", "bad")),
    "sla_warnings": ("sla.warning", None),
    "sla_breaches": ("sla.breached", None),
}
# Funnel stages, deepest last: a session counts at a stage if it got at least that far.
FUNNEL_STAGES = (
    "sessions",
    "sessions_searched",
    "sessions_viewed",
    "sessions_bot",
    "sessions_escalated",
    "sessions_ticket",
)
BOT_OUTCOMES = ("bot_contained", "bot_escalated", "bot_abandoned")
SESSION_METRICS = (
    *FUNNEL_STAGES,
    "bot_sessions",
    *BOT_OUTCOMES,
    "bot_confirmed",
    "helpcenter_users",
    "ticket_requesters",
)
# Breakdowns: the row's `subject` says what it is about.
BREAKDOWNS = (
    "escalation_intent",
    "escalation_step",
    "escalation_article",
    "article_views_by_article",
    "article_helpful",
    "article_not_helpful",
    "outdated_translation",
)


def is_ticket_kind(kind: str) -> bool:
    """Events about a ticket (an escalation creates one): they have its channel and queue."""
    return kind.startswith(("ticket.", "sla.")) or kind == "chat.escalated"


# Metrics about tickets are split by queue; self-service ones are not (they have none).
TICKET_SCOPED = {k for k, (kind, _c) in EVENT_COUNTS.items() if is_ticket_kind(kind)}
CHANNEL_HELP_CENTER = "web"
CHANNEL_WIDGET = "widget"


@dataclass(frozen=True)
class Report:
    """A metric as people see it: one chart or table on the dashboard, one CSV, one API call."""

    key: str
    label: str
    help_text: str
    formula: str
    section: str
    is_split_by_queue: bool = True


SELF_SERVICE, BOT, CONTENT, TICKETS = (
    _("Self-service"),
    _("Chatbot"),
    _("Content"),
    _("Service levels"),
)

REPORTS: tuple[Report, ...] = (
    Report(
        "self_service_score",
        _("Self-service score"),
        _("How many people used the help center for every person who opened a ticket."),
        "sum over days of distinct help-center visitors (visitor ids on kb.*, search.*, guide.* "
        "events) ÷ sum over days of distinct ticket requesters (contact ids on ticket.created); "
        "split by language only (the channel and queue filters do not apply)",
        SELF_SERVICE,
        is_split_by_queue=False,
    ),
    Report(
        "funnel",
        _("Self-service funnel"),
        _(
            "Sessions by how far they went: searched, read an article, talked to the bot, were "
            "handed to a person, opened a ticket. Each stage counts sessions that got at least "
            "that far, so no stage is larger than the one before."
        ),
        "a session (session id) belongs to the UTC day of its first event; its depth is the "
        "deepest of: ticket.created (5) > chat.escalated (4) > chat.message (3) > "
        "kb.article_viewed or chat.article_opened (2) > search.performed (1) > any event (0), "
        "counting its events until the end of the next day; stage k = sessions with depth ≥ k",
        SELF_SERVICE,
        is_split_by_queue=False,
    ),
    Report(
        "bot_containment",
        _("Bot containment"),
        _(
            "Chat sessions the bot kept: not handed to a person and not abandoned. "
            "Bot-confirmed resolution counts those where the visitor said it was solved."
        ),
        "bot sessions = sessions with chat.session_started; escalated = with chat.escalated; "
        "abandoned = not escalated, not chat.resolved_by_bot, and chat.abandoned or no "
        "chat.message; contained = the rest; containment = contained ÷ bot sessions; "
        "confirmed resolution = contained with chat.resolved_by_bot ÷ bot sessions",
        BOT,
        is_split_by_queue=False,
    ),
    Report(
        "escalation_sources",
        _("Where escalations start"),
        _(
            "The bot topic and flow step a chat was at when it was handed to a person, guide "
            "steps that sent people to the contact form, and the articles read in sessions "
            "that ended with a person."
        ),
        "intent and flow:step = the conversation's state at chat.escalated; guide steps = "
        "guide.completed with outcome 'contact'; articles = kb.article_viewed and "
        "chat.article_opened events in sessions with chat.escalated or ticket.created on that "
        "day (from the day before until the end of the day)",
        BOT,
        is_split_by_queue=False,
    ),
    Report(
        "top_searches",
        _("Top searches"),
        _("What people search for most, with similar wordings grouped together."),
        "search.performed events grouped by search id (pages of one search count once); the "
        "wording is normalised (Unicode NFKC, case-folded, Arabic letter variants folded, "
        "punctuation dropped, words de-duplicated and sorted), then wordings at least 90% "
        "similar (rapidfuzz token-sort ratio) are shown as one group",
        CONTENT,
        is_split_by_queue=False,
    ),
    Report(
        "content_gaps",
        _("Content gaps"),
        _("Searches that found nothing, and searches where nobody clicked a result."),
        "per grouped wording: searches with results = 0, and searches with no "
        "search.result_clicked event carrying the same search id on the same day",
        CONTENT,
        is_split_by_queue=False,
    ),
    Report(
        "least_helpful_articles",
        _("Least helpful articles"),
        _("Articles readers voted unhelpful most often (at least 3 votes in the period)."),
        "per article: not helpful ÷ (helpful + not helpful) over kb.article_voted events in "
        "the period (a changed vote counts for its new value); articles with fewer than 3 "
        "votes are left out; ties by more votes",
        CONTENT,
        is_split_by_queue=False,
    ),
    Report(
        "outdated_translations",
        _("Outdated translations"),
        _("Translations whose original changed since they were translated, by readers."),
        "articles marked outdated in the latest daily snapshot on or before the end of the "
        "period, ordered by kb.article_viewed events in the period",
        CONTENT,
        is_split_by_queue=False,
    ),
    Report(
        "ticket_volume",
        _("Ticket volume by channel"),
        _("New tickets per channel (web form, chat widget, email, API, phone)."),
        "count of ticket.created events per channel of the ticket",
        TICKETS,
    ),
    Report(
        "ticket_hours",
        _("When tickets arrive"),
        _("New tickets by hour of the day (UTC), over the whole period."),
        "sum of the hourly ticket.created counts per UTC hour of day (0-23)",
        TICKETS,
    ),
    Report(
        "first_response_time",
        _("First response time"),
        _(
            "Time from a ticket's creation to the first public agent reply, in business "
            "hours of the ticket's queue (around the clock when it has none)."
        ),
        "over tickets created in the period that have a first response: median (p50) and "
        "90th percentile (p90), nearest-rank: the value at position ceil(p × n) in ascending "
        "order; pauses while waiting on the customer are not subtracted",
        TICKETS,
    ),
    Report(
        "resolution_time",
        _("Resolution time"),
        _("Time from a ticket's creation to it being solved, in business hours."),
        "over tickets created in the period that are solved: p50 and p90 (nearest-rank) of "
        "the business time from creation to the latest solve",
        TICKETS,
    ),
    Report(
        "sla_compliance",
        _("SLA compliance"),
        _("Share of tickets that never breached a service-level target."),
        "(tickets created in the period − those with an sla.breached event) ÷ tickets created "
        "in the period",
        TICKETS,
    ),
    Report(
        "backlog",
        _("Backlog over time"),
        _("Open tickets at the end of each day."),
        "for each day: all ticket.created − ticket.solved + ticket.reopened up to the end of "
        "that day, since the first roll-up",
        TICKETS,
    ),
    Report(
        "agent_workload",
        _("Workload and satisfaction per agent"),
        _(
            "Tickets created in the period per current assignee: how many, still open, solved, "
            "and the share of good ratings."
        ),
        "per assignee: tickets created in the period; open; solved; satisfaction = good ÷ "
        "(good + bad) over the tickets' latest ratings",
        TICKETS,
    ),
    Report(
        "satisfaction",
        _("Customer satisfaction"),
        _("Share of good ratings among ratings given in the period."),
        "ticket.rated with rating good ÷ all ticket.rated events in the period",
        TICKETS,
    ),
)
REPORTS_BY_KEY = {r.key: r for r in REPORTS}
