"""Turn an ID check into the ledger row's ID columns (shared by imports and demo data)."""

from __future__ import annotations

from datetime import date

from ..domain.ids import IdCheck, birth_date_mismatch, check_id, normalize_id_text


# id_columns' answer, but id_number, for a valid ID received as it is stored.
CLEAN_ID = {"id_raw": "", "id_ok": True, "id_issue_code": "", "id_issue": ""}


def id_columns(raw: object, birth: date | None, check: IdCheck | None = None) -> dict:
    """id_number / id_raw / id_ok / id_issue_code / id_issue for one row.

    A birth-date mismatch marks the row as a bad ID too: it is reported, never fixed.
    id_raw keeps the cell exactly as received (spaces, full-width digits, a 15-digit number
    included) whenever it differs from id_number, so the export can give it back unchanged;
    a number cell is kept as its digits.
    """
    c = check or check_id(raw)
    issues = list(c.errors)
    mismatch = birth_date_mismatch(c, birth) if c.ok else None
    if mismatch:
        issues.append(mismatch)
    issues += [w for w in c.warnings if w.code != "id_normalized"]
    received = raw if isinstance(raw, str) else normalize_id_text(raw)
    return {
        "id_number": c.normalized[:32],
        "id_raw": received[:64] if received != c.normalized else "",
        "id_ok": c.ok and mismatch is None,
        "id_issue_code": (issues[0].code if issues else ""),
        "id_issue": "；".join(i.message for i in issues),
    }
