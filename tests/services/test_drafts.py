"""Form drafts are kept per account and form, replaced as the user types, and discarded."""

from kongcuo_tui.services import drafts


def test_a_draft_is_kept_per_account_and_rows_and_replaced_as_the_user_types(registrar, admin):
    key = drafts.key_for("classify:A", [13, 12])
    assert key == drafts.key_for("classify:A", [12, 13])
    assert drafts.load(registrar, key) is None
    drafts.save(registrar, key, {"notes": "入户"})
    drafts.save(registrar, key, {"notes": "入户劝导，家长同意", "proof_person": "李四"})
    fields, at = drafts.load(registrar, key)
    assert fields == {"notes": "入户劝导，家长同意", "proof_person": "李四"} and at is not None
    assert drafts.load(admin, key) is None  # another account never sees it
    assert drafts.count(registrar) == 1
    drafts.discard(registrar, key)
    assert drafts.load(registrar, key) is None and drafts.count(registrar) == 0
