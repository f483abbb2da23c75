from form_cases import TODAY, full_case, school
from kongcuo_tui.exports.forms import export_forms
import pytest, shutil
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dbg(registrar, make_entry):
    sid = school().id
    eid = full_case(registrar, make_entry, sid)
    eid2 = full_case(registrar, make_entry, sid, name="李四", attempts=5, rounds=5, continued=4)
    for k in ("register", "notice", "letter"):
        print(export_forms(registrar, k, [eid, eid2], f"/tmp/dbg_{k}.xlsx", today=TODAY))
