"""Workbooks for the network import's tests, built from rows by sheet."""

import io

from openpyxl import Workbook

from onboarding.services.network import (
    ForumSheet,
    LecturerSheet,
    SessionSheet,
    TraineeSheet,
)

HEADERS = {
    "讲坛": [c.title for c in ForumSheet.columns],
    "学员": [c.title for c in TraineeSheet.columns],
    "讲师": [c.title for c in LecturerSheet.columns],
    "往期讲座": [c.title for c in SessionSheet.columns],
}

FORUMS = [
    ["大讲坛", "", "区级干部大讲坛", "district", "区", "区委组织部", "2018-06-01"],
    ["小讲坛", "district", "城关镇小讲坛", "chengguan", "镇", "城关镇", "2020-01-01"],
    ["小讲坛", "", "东城街道小讲坛", "dongcheng", "街道", "东城街道", ""],
    ["微讲坛", "chengguan", "东风村微讲坛", "dongfeng", "村", "东风村", ""],
]
TRAINEES = [
    ["张三", "13800000001", "chengguan", "", "科员", "一般干部", ""],
    ["李四", "13800000002", "dongfeng", "", "", "村（社区）干部", ""],
    ["王五", "13800000003", "", "区委党校", "", "一般干部", ""],
]
LECTURERS = [
    ["王建国", "教授", "区委党校", "理论学习、经济发展", "district、chengguan", ""],
    ["李秀英", "科长", "区司法局", "法治建设", "chengguan", "13800000003"],
]
SESSIONS = [
    [
        "chengguan",
        "2026-03-02 09:00",
        "2026-03-02 11:00",
        "学习贯彻全会精神",
        "王建国",
        "城关镇会议室",
        "理论学习",
        "专题讲座",
        "2",
        "已举办",
        "",
        "13800000001、13800000002",
        "13800000003",
        "",
        "",
    ],
    [
        "dongfeng",
        "2026-03-05 14:30",
        "",
        "法治乡村",
        "李秀英",
        "东风村文化礼堂",
        "法治建设",
        "政策宣讲",
        "1.5",
        "",
        "35",
        "",
        "",
        "",
        "",
    ],
    [
        "chengguan",
        "2026-01-10 09:00",
        "2026-01-10 11:00",
        "经济形势",
        "王建国",
        "城关镇会议室",
        "经济发展",
        "专题讲座",
        "2",
        "已举办",
        "40",
        "",
        "",
        "",
        "",
    ],
]


def sheets(**overrides) -> dict[str, list[list]]:
    """The good workbook's sheets, some replaced by keyword (forums=…)."""
    rows = {"讲坛": FORUMS, "学员": TRAINEES, "讲师": LECTURERS, "往期讲座": SESSIONS}
    names = {
        "forums": "讲坛",
        "trainees": "学员",
        "lecturers": "讲师",
        "sessions": "往期讲座",
    }
    for key, value in overrides.items():
        rows[names[key]] = value
    return {
        name: [HEADERS[name], *body] for name, body in rows.items() if body is not None
    }


def xlsx(tables: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv(rows: list[list], encoding: str = "utf-8") -> bytes:
    return "\r\n".join(",".join(str(c) for c in row) for row in rows).encode(encoding)
