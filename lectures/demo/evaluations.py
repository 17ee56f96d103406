"""Demo evaluations for held sessions with rosters, added through `build_demo`.

A realistic spread: most attendees answer, most ratings are 满意 or 较满意,
some sessions do less well; sessions that ended in the last week are still
being evaluated, and `demo_trainee` has some of those waiting for him. All
rows go in by bulk insert (the hundreds of thousands of tallies and receipts
at 100× as plain rows); the demo's other figures are untouched.
"""

import random
import uuid
from collections import Counter, defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model

from lectures.demo.rows import insert_rows
from lectures.models import (
    Attendance,
    EvaluationComment,
    EvaluationForm,
    EvaluationReceipt,
    RatingTally,
    SessionEvaluation,
)
from lectures.models.evaluations import is_satisfied, level_points

BATCH = 2000
WINDOW_DAYS = 7  # the setting's default
COMMENTS = (
    "内容贴近基层工作实际，很受启发。",
    "案例丰富，讲解深入浅出。",
    "希望多安排互动交流环节。",
    "时间稍紧，建议适当延长答疑时间。",
    "课件可以提前发给学员预习。",
    "讲得很实在，回去就能用上。",
    "建议结合本镇实际多讲一些具体做法。",
    "会场音响效果一般，后排听不太清。",
    "政策解读清晰，条理分明。",
    "希望以后多组织类似的专题讲座。",
    "理论部分偏多，实践案例可以再多一些。",
    "老师准备充分，收获很大。",
)


def _distribution(rng: random.Random) -> list[float]:
    """Chances of 满意, 较满意, 一般, 不满意 for one session."""
    top = min(0.9, max(0.2, rng.gauss(0.58, 0.15)))
    rest = 1 - top
    return [top, rest * 0.68, rest * 0.25, rest * 0.07]


def build(builder) -> None:
    form = EvaluationForm.objects.default().prefetch_related("indicators").first()
    if form is None:
        return
    rng = random.Random(builder.seed + 5)
    indicators = list(form.indicators.all())
    levels = list(range(form.scale, 0, -1))
    demo_trainee = (
        get_user_model()
        .objects.filter(username="demo_trainee")
        .values_list("pk", flat=True)
    ).first()
    attendees = defaultdict(list)
    ends = {}
    rows = (
        Attendance.objects.attended()
        .filter(session__end__lte=builder.now, session__status="held")
        .order_by("session_id", "user_id")
        .values_list("session_id", "user_id", "session__end")
    )
    for session_id, user_id, end in rows.iterator(chunk_size=BATCH):
        attendees[session_id].append(user_id)
        ends[session_id] = end

    envelopes, tallies, comments, receipts = [], [], [], []
    for session_id, users in attendees.items():
        end = ends[session_id]
        still_open = end > builder.now - timedelta(days=WINDOW_DAYS)
        if still_open:
            # Half-way through its window; demo_trainee has not answered yet.
            pool = [user for user in users if user != demo_trainee]
            share = rng.uniform(0.2, 0.5)
        else:
            pool, share = users, rng.uniform(0.55, 0.95)
        respondents = rng.sample(pool, round(len(pool) * share))
        if not respondents:
            continue
        n = len(respondents)
        envelopes.append(
            SessionEvaluation(session_id=session_id, form=form, responses=n)
        )
        chances = _distribution(rng)
        for indicator in indicators:
            counts = Counter(rng.choices(levels, weights=chances, k=n))
            tallies.extend(
                (
                    uuid.uuid4(),
                    session_id,
                    indicator.pk,
                    level,
                    level_points(form.scale, level),
                    indicator.weight,
                    is_satisfied(form.scale, level),
                    counts[level],
                )
                for level in levels
            )
        commenting = sum(1 for _ in respondents if rng.random() < 0.15)
        comments.extend(
            EvaluationComment(session_id=session_id, text=text)
            for text in rng.sample(COMMENTS, min(commenting, len(COMMENTS)))
        )
        elapsed = min(WINDOW_DAYS, (builder.now - end).days)
        receipts.extend(
            (
                session_id,
                user_id,
                (end + timedelta(days=rng.randint(0, elapsed))).date(),
            )
            for user_id in respondents
        )
    SessionEvaluation.objects.bulk_create(envelopes, batch_size=BATCH)
    insert_rows(
        RatingTally,
        [
            "id",
            "session_id",
            "indicator_id",
            "level",
            "points",
            "weight",
            "satisfied",
            "count",
        ],
        tallies,
    )
    EvaluationComment.objects.bulk_create(comments, batch_size=BATCH)
    insert_rows(EvaluationReceipt, ["session_id", "user_id", "submitted_on"], receipts)


def reset() -> None:
    """Remove every evaluation (the tables themselves stay)."""
    EvaluationReceipt.objects.all().delete()
    EvaluationComment.objects.all().delete()
    RatingTally.objects.all().delete()
    SessionEvaluation.objects.all().delete()
