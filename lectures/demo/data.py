"""Static, deterministic data for the demo network (real-looking, fictional).

The seed's district: one 区级大讲坛, 57 小讲坛 (towns, streets and district
units) and 48 微讲坛 (villages under towns, communities under streets).
"""

DISTRICT = {
    "title": "区级干部大讲坛",
    "slug": "district",
    "unit_kind": "district",
    "unit_name": "区委组织部",
}

_TOWNS = (
    "城关 chengguan|青山 qingshan|白石 baishi|双河 shuanghe|临江 linjiang|"
    "桃源 taoyuan|新塘 xintang|马桥 maqiao|柳溪 liuxi|龙泉 longquan|"
    "石门 shimen|清水 qingshui|杨柳 yangliu|安平 anping"
)
_STREETS = (
    "东城 dongcheng|西城 xicheng|南湖 nanhu|北园 beiyuan|文昌 wenchang|"
    "滨江 binjiang|新华 xinhua|和平 heping"
)
_DEPARTMENTS = (
    "区委办公室 quweiban|区政府办公室 zhengfuban|区纪委监委 jiwei|区委宣传部 xuanchuan|"
    "区委统战部 tongzhan|区委政法委 zhengfa|区委党校 dangxiao|区发展和改革局 fagai|"
    "区教育局 jiaoyu|区科学技术局 keji|区公安分局 gongan|区民政局 minzheng|"
    "区司法局 sifa|区财政局 caizheng|区人力资源和社会保障局 renshe|"
    "区自然资源和规划分局 ziranziyuan|区生态环境分局 shengtai|"
    "区住房和城乡建设局 zhujian|区交通运输局 jiaotong|区水利局 shuili|"
    "区农业农村局 nongye|区商务局 shangwu|区文化和旅游局 wenlv|"
    "区卫生健康局 weijian|区退役军人事务局 tuiyi|区应急管理局 yingji|"
    "区审计局 shenji|区市场监督管理局 shichang|区统计局 tongji|区医疗保障局 yibao|"
    "区信访局 xinfang|区数据资源管理局 shuju|区总工会 zonggonghui|团区委 tuanquwei|"
    "区妇联 fulian"
)


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(item.split()) for item in text.split("|")]


UNITS = (
    [
        {
            "title": f"{name}镇小讲坛",
            "slug": slug,
            "unit_kind": "town",
            "unit_name": f"{name}镇",
        }
        for name, slug in _pairs(_TOWNS)
    ]
    + [
        {
            "title": f"{name}街道小讲坛",
            "slug": f"{slug}-jiedao",
            "unit_kind": "street",
            "unit_name": f"{name}街道",
        }
        for name, slug in _pairs(_STREETS)
    ]
    + [
        {
            "title": f"{name}小讲坛",
            "slug": slug,
            "unit_kind": "department",
            "unit_name": name,
        }
        for name, slug in _pairs(_DEPARTMENTS)
    ]
)

_VILLAGES = {
    "chengguan": "东风 dongfeng|红旗 hongqi|胜利 shengli|前进 qianjin|光明 guangming",
    "qingshan": "山前 shanqian|竹园 zhuyuan|茶岭 chaling|松坡 songpo",
    "baishi": "石桥 shiqiao|大塘 datang|上湾 shangwan|下湾 xiawan",
    "shuanghe": "河口 hekou|沙洲 shazhou|新村 xincun|联合 lianhe",
    "linjiang": "江北 jiangbei|渔港 yugang|芦花 luhua|望江 wangjiang",
    "taoyuan": "桃花 taohua|李园 liyuan|杏坞 xingwu",
    "xintang": "新塘 xintang|荷花 hehua|长丰 changfeng",
    "maqiao": "马头 matou|金桥 jinqiao|团结 tuanjie",
    "liuxi": "柳溪 liuxi|清溪 qingxi",
    "longquan": "龙泉 longquan|泉水 quanshui",
}
_COMMUNITIES = {
    "dongcheng-jiedao": "幸福 xingfu|和谐 hexie|朝阳 chaoyang",
    "xicheng-jiedao": "锦绣 jinxiu|春晖 chunhui|文华 wenhua",
    "nanhu-jiedao": "湖畔 hupan|碧水 bishui|荷塘 hetang",
    "beiyuan-jiedao": "北苑 beiyuan|康乐 kangle|安居 anju",
    "wenchang-jiedao": "书香 shuxiang|育才 yucai",
}

VILLAGES = [
    {
        "parent": parent,
        "title": f"{name}村微讲坛",
        "slug": f"{slug}-cun",
        "unit_kind": "village",
        "unit_name": f"{name}村",
    }
    for parent, text in _VILLAGES.items()
    for name, slug in _pairs(text)
] + [
    {
        "parent": parent,
        "title": f"{name}社区微讲坛",
        "slug": f"{slug}-shequ",
        "unit_kind": "community",
        "unit_name": f"{name}社区",
    }
    for parent, text in _COMMUNITIES.items()
    for name, slug in _pairs(text)
]

FIELDS = [
    ("theory", "理论学习"),
    ("economy", "经济发展"),
    ("rule-of-law", "法治建设"),
    ("rural", "乡村振兴"),
    ("governance", "基层治理"),
    ("ecology", "生态环保"),
    ("livelihood", "民生服务"),
    ("party", "党建工作"),
]

CATEGORIES = [
    ("lecture", "专题讲座"),
    ("briefing", "政策宣讲"),
    ("training", "业务培训"),
    ("exchange", "经验交流"),
    ("site-visit", "现场教学"),
    ("micro-class", "微党课"),
]

_FIELD_SLUGS = [slug for slug, _name in FIELDS]
_LECTURER_NAMES = [
    "王建国",
    "李秀英",
    "张志强",
    "刘海燕",
    "陈立新",
    "杨晓东",
    "赵文华",
    "黄丽萍",
    "周振宇",
    "吴国平",
    "徐春梅",
    "孙卫东",
    "胡小兰",
    "朱永刚",
    "高建华",
    "林晓燕",
    "何光明",
    "郭金凤",
    "马瑞",
    "罗志远",
    "梁红霞",
    "宋德胜",
    "郑玉兰",
    "谢明",
    "韩雪梅",
    "唐宏伟",
    "冯桂英",
    "于海涛",
    "董丽娟",
    "萧振华",
    "程建军",
    "曹晓红",
    "袁志华",
    "邓丽君",
    "许国庆",
    "傅雅琴",
    "沈浩",
    "曾玉珍",
    "彭成林",
    "吕文静",
    "苏建平",
    "卢秀芳",
    "蒋立军",
    "蔡晓梅",
    "贾明远",
    "丁春燕",
    "魏国强",
    "薛丽华",
    "叶振东",
    "阎秀兰",
    "余鸿",
    "潘淑珍",
    "杜永胜",
    "戴红英",
    "夏志明",
    "钟玉梅",
    "汪建新",
    "田晓霞",
    "任国栋",
    "姜丽",
]
_LECTURER_POSTS = [
    ("区委党校副教授", "区委党校"),
    ("区委党校讲师", "区委党校"),
    ("区委宣传部副部长", "区委宣传部"),
    ("区发展和改革局局长", "区发展和改革局"),
    ("区司法局副局长", "区司法局"),
    ("区农业农村局高级农艺师", "区农业农村局"),
    ("镇党委书记", "城关镇"),
    ("街道党工委副书记", "东城街道"),
    ("区生态环境分局科长", "区生态环境分局"),
    ("区卫生健康局主任医师", "区卫生健康局"),
    ("区市场监督管理局科长", "区市场监督管理局"),
    ("村党支部书记", "东风村"),
]
LECTURERS = [
    {
        "name": name,
        "title": _LECTURER_POSTS[index % len(_LECTURER_POSTS)][0],
        "unit": _LECTURER_POSTS[index % len(_LECTURER_POSTS)][1],
        "fields": [
            _FIELD_SLUGS[index % len(_FIELD_SLUGS)],
            _FIELD_SLUGS[(index * 3 + 1) % len(_FIELD_SLUGS)],
        ][: 1 + index % 2],
    }
    for index, name in enumerate(_LECTURER_NAMES)
]

SESSION_TITLES = {
    "theory": [
        "学习贯彻党的二十届三中全会精神",
        "习近平新时代中国特色社会主义思想专题辅导",
        "马克思主义中国化时代化的最新成果",
        "新时代党的创新理论学习体会",
        "以中国式现代化全面推进强国建设",
        "党史学习教育专题讲座",
        "坚定理想信念 补足精神之钙",
        "读原著 学原文 悟原理",
        "全面从严治党的理论与实践",
        "弘扬伟大建党精神",
        "领导干部的理论修养",
        "新发展理念的科学内涵",
    ],
    "economy": [
        "优化营商环境政策解读",
        "县域经济高质量发展路径",
        "招商引资实务与风险防范",
        "数字经济与产业转型升级",
        "民营经济促进政策解读",
        "新质生产力的培育与发展",
        "项目建设全流程管理",
        "财政预算绩效管理",
        "乡镇集体经济发展思路",
        "稳就业促增收政策解读",
        "现代服务业发展趋势",
        "开发区改革与园区建设",
    ],
    "rule-of-law": [
        "民法典与基层矛盾调解",
        "行政执法规范化建设",
        "领导干部学法用法专题讲座",
        "信访工作条例解读",
        "依法行政与政府法律顾问制度",
        "安全生产法律责任",
        "土地管理法律法规解读",
        "法治乡村建设实践",
        "公职人员政务处分法解读",
        "行政复议与行政诉讼实务",
        "未成年人保护法律知识",
        "反电信网络诈骗法宣讲",
    ],
    "rural": [
        "乡村振兴战略与实践",
        "和美乡村建设经验分享",
        "农村人居环境整治提升",
        "高标准农田建设政策",
        "农村集体产权制度改革",
        "特色农业产业培育",
        "农产品电商与品牌建设",
        "驻村工作方法与实践",
        "防止规模性返贫监测帮扶",
        "农村宅基地管理政策",
        "乡风文明与移风易俗",
        "种粮补贴与惠农政策解读",
    ],
    "governance": [
        "新时代“枫桥经验”的基层实践",
        "网格化管理与精细化服务",
        "基层减负与干部担当作为",
        "村（社区）换届后的班子建设",
        "群众工作方法与沟通艺术",
        "突发事件应急处置",
        "社区治理创新案例分析",
        "“四议两公开”工作法解读",
        "矛盾纠纷多元化解",
        "平安建设与综治工作",
        "议事协商与居民自治",
        "基层数字化治理应用",
    ],
    "ecology": [
        "生态文明思想专题辅导",
        "河湖长制工作实务",
        "大气污染防治攻坚",
        "垃圾分类与资源化利用",
        "双碳目标与绿色发展",
        "林长制与森林防火",
        "生态环境保护督察整改",
        "农业面源污染治理",
        "美丽河湖建设经验",
        "土壤污染防治法解读",
        "生态产品价值实现机制",
        "节能降碳行动方案解读",
    ],
    "livelihood": [
        "医保政策与便民服务",
        "养老服务体系建设",
        "义务教育“双减”政策解读",
        "社会救助政策解读",
        "就业创业扶持政策",
        "食品安全与百姓健康",
        "退役军人服务保障",
        "残疾人帮扶政策",
        "城乡居民养老保险政策",
        "住房保障政策解读",
        "家庭医生签约服务",
        "老旧小区改造实务",
    ],
    "party": [
        "基层党组织标准化规范化建设",
        "发展党员工作流程与规范",
        "“三会一课”制度落实",
        "党支部书记履职能力提升",
        "党员教育管理创新",
        "廉洁自律与作风建设",
        "组织生活会与民主评议",
        "两新组织党建工作",
        "干部选拔任用工作条例解读",
        "党务公开与党费管理",
        "红色资源与党性教育",
        "党建引领基层治理",
    ],
}

VENUES = {
    "district": ["区委党校报告厅", "区行政中心一号会议室", "区党群服务中心多功能厅"],
    "town": [
        "{unit}党群服务中心多功能厅",
        "{unit}政府三楼会议室",
        "{unit}新时代文明实践所",
    ],
    "street": ["{unit}党群服务中心", "{unit}市民学校", "{unit}综合会议室"],
    "department": ["{unit}会议室", "{unit}党员活动室", "区行政中心二号会议室"],
    "village": ["{unit}党群服务中心", "{unit}文化礼堂", "{unit}村委会议室"],
    "community": ["{unit}党群服务站", "{unit}邻里中心", "{unit}居民议事厅"],
}

AUDIENCES = [
    "全体机关干部",
    "村（社区）两委成员",
    "新任职干部",
    "中层以上干部",
    "党员和入党积极分子",
    "网格员和基层工作者",
]

RECORD_SUMMARIES = [
    "{lecturer}围绕“{title}”作专题辅导，结合工作实际深入浅出、案例生动。共{headcount}人参加，"
    "大家表示收获很大。",
    "本期讲坛邀请{lecturer}主讲“{title}”，理论与实践相结合，现场交流热烈。参加人数{headcount}人。",
    "{lecturer}以“{title}”为题授课，系统梳理政策要点，回答了学员关心的问题，{headcount}人参训。",
    "围绕“{title}”，{lecturer}进行了专题宣讲，并与基层干部座谈交流，共{headcount}人次参加。",
    "“{title}”专题讲座顺利举办，{lecturer}结合典型案例讲解，{headcount}名干部参加学习。",
    "{lecturer}主讲的“{title}”贴近基层、通俗易懂，{headcount}人到场聆听，反响良好。",
    "本期以“{title}”为主题，{lecturer}现场授课并开展互动问答，参加人员{headcount}人。",
    "{lecturer}应邀讲授“{title}”，内容紧扣中心工作，{headcount}人参加，会后开展了学习讨论。",
]

TRAINEE_SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "胡",
    "朱",
    "高",
    "林",
    "何",
    "郭",
    "马",
    "罗",
    "梁",
    "宋",
    "郑",
    "谢",
    "韩",
    "唐",
    "冯",
    "于",
    "董",
    "萧",
]
TRAINEE_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "文",
    "华",
    "金凤",
    "玉兰",
    "建国",
    "志强",
    "海燕",
    "立新",
    "晓东",
    "丽萍",
    "振宇",
    "国平",
    "春梅",
    "卫东",
    "小兰",
    "永刚",
    "晓燕",
    "光明",
    "瑞",
    "志远",
    "红霞",
    "德胜",
    "玉珍",
    "成林",
    "文静",
    "建平",
    "秀芳",
    "立军",
    "晓梅",
    "明远",
    "春燕",
    "国强",
    "丽华",
    "振东",
    "鸿",
    "淑珍",
    "永胜",
]
