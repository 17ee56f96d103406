"""The work-report paragraph (工作汇报): the selection's figures in a sentence.

Organisers paste it into their yearly report. Every number in it is a field
of `NetworkStats`, so the paragraph, the JSON and the admin page agree;
other apps add a sentence of their own figures for the same selection
through the `work_report_sentences` hook.
"""

from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks

from lectures.models import ForumLevel
from stats.figures import NetworkStats


def number(value) -> str:
    return f"{value:,}"


def _scope(stats: NetworkStats, labels: dict) -> str:
    scope = stats.forum["title"] if stats.forum else _("the district")
    details = []
    if stats.filters.get("level"):
        details.append(str(ForumLevel(stats.filters["level"]).label))
    for name in ("field", "category"):
        if labels.get(name):
            details.append(labels[name])
    if details:
        scope += _(" (%(details)s)") % {"details": _("; ").join(details)}
    return scope


def work_report_paragraph(stats: NetworkStats, labels: dict | None = None) -> str:
    """The sentence for a work report; `labels` names the field and category
    filters ({"field": "理论", "category": "专题讲座"}) when there are any."""
    end = date.fromisoformat(stats.period["to"])
    start = date.fromisoformat(stats.period["from"])
    figures = {
        "year": end.year,
        "month": end.month,
        "from": f"{start.year}-{start.month:02d}-{start.day:02d}",
        "to": f"{end.year}-{end.month:02d}-{end.day:02d}",
        "scope": _scope(stats, labels or {}),
        "district": number(stats.forums["district"]),
        "unit": number(stats.forums["unit"]),
        "village": number(stats.forums["village"]),
        "held": number(stats.sessions_held),
        "people": number(stats.participants),
    }
    if stats.cumulative:
        text = _(
            "As of %(year)d-%(month)02d, %(scope)s has founded %(district)s district "
            "forum(s), %(unit)s town/street and district-unit forum(s) and "
            "%(village)s village/community forum(s); %(held)s session(s) have been "
            "held, with %(people)s person-times taking part."
        )
    else:
        text = _(
            "From %(from)s to %(to)s, %(scope)s, with %(district)s district "
            "forum(s), %(unit)s town/street and district-unit forum(s) and "
            "%(village)s village/community forum(s), held %(held)s session(s), "
            "with %(people)s person-times taking part."
        )
    sentences = [text % figures]
    details = []
    if stats.other_participants:
        details.append(
            _(
                "%(cadres)s person-times were cadres and %(others)s were others "
                "(the public, other units)"
            )
            % {
                "cadres": number(stats.cadre_participants),
                "others": number(stats.other_participants),
            }
        )
    if stats.unique_participants:
        details.append(
            _("%(n)s cadres signed the rosters")
            % {"n": number(stats.unique_participants)}
        )
    if stats.attendance_rate is not None:
        details.append(
            _("the attendance rate was %(rate)s%%") % {"rate": stats.attendance_rate}
        )
    if stats.study_hours_credited:
        details.append(
            _("%(hours)s study hours were credited")
            % {"hours": number(stats.study_hours_credited)}
        )
    if stats.satisfaction_rate is not None:
        details.append(
            _("the satisfaction rate was %(rate).1f%%")
            % {"rate": stats.satisfaction_rate}
        )
    if details:
        sentences.append(
            _("Of these, %(details)s.") % {"details": _(", ").join(details)}
        )
    # Other apps cite their own figures of the same selection (lectures on
    # demand its orders): `work_report_sentences` hooks, f(stats) -> str | None.
    for cite in hooks.get_hooks("work_report_sentences"):
        sentence = cite(stats)
        if sentence:
            sentences.append(sentence)
    inactive = sum(stats.forums_not_reporting.values())
    if inactive:
        sentences.append(
            _("%(n)s forum(s) held no session in the period.") % {"n": number(inactive)}
        )
    # Chinese sentences follow each other without a space.
    gap = "" if (get_language() or "").startswith("zh") else " "
    return gap.join(sentences)
