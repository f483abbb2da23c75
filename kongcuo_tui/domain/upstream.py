"""The national platform's ledger columns, in its order, with the Entry field each fills.

Imports match these headers and exports write them back in this order, so a file that
goes in and comes out keeps the platform's layout.
"""

UPSTREAM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("序号", "seq"),
    ("姓名", "name"),
    ("出生日期", "birth_date"),
    ("证件号码", "id_number"),
    ("户籍地", "hukou"),
    ("家庭住址", "address"),
    ("是否在读", "enrolled"),
    ("全国学籍号", "national_no"),
    ("省内学校名称", "prov_school"),
    ("省内学籍号", "prov_no"),
    ("省内学生状态", "prov_status"),
)
REQUIRED_FIELDS = frozenset({"name", "birth_date", "id_number"})
