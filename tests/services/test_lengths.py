"""Lengths are checked before the database sees them, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kongcuo_tui.db import models
from kongcuo_tui.db.models import AuditLog, Entry, ImportBatch
from kongcuo_tui.domain.lengths import LENGTHS
from kongcuo_tui.imports.upstream import import_file
from kongcuo_tui.services import classify
from imports.upstream_xlsx import valid_row, write_xlsx
from services.test_classify_service import B2, TODAY


def test_a_long_proof_person_is_a_form_error_not_a_database_error(registrar, make_entry):
    eid = make_entry()
    r = classify.classify(registrar, {eid: 1}, replace(B2, proof_person="王" * 69), today=TODAY)
    assert not r.ok
    [error] = [e for e in r.failures[0].errors if e.field == "proof_person"]
    assert "最多 64 个字" in error.message and "69" in error.message
    r = classify.classify(registrar, {eid: 1}, replace(B2, study_school="校" * 129), today=TODAY)
    assert any(e.field == "study_school" and "最多 128 个字" in e.message for e in r.failures[0].errors)
    assert Entry.get_by_id(eid).version == 1


def test_a_long_file_name_imports_on_both_engines(tmp_path, registrar):
    name = "唐河县2026年秋季学期控辍保学疑似辍学学生台账_second-batch_with-township-results_final_v3.xlsx"
    assert len(name) > 64
    report = import_file(registrar, write_xlsx(tmp_path / name, [valid_row(1)]), today=date(2026, 11, 29))
    assert report.inserted == 1
    assert ImportBatch.get().file_name == name
    log = AuditLog.get(AuditLog.verb == "import")
    assert name in log.detail and len(log.target) <= LENGTHS["audit_log.target"]


def test_models_take_their_lengths_from_the_domain_table():
    for key, limit in LENGTHS.items():
        table, field = key.split(".")
        model = next(m for m in models.ALL_MODELS if m._meta.table_name == table)
        assert model._meta.fields[field].max_length == limit, key
