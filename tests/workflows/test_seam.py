"""The seam between the sync and the workflows: the two packages never import each other, so
the fact vocabulary is spelled on both sides — and must agree."""

from __future__ import annotations

import jobs
import workflows


def test_both_sides_spell_the_same_fact_kinds():
    assert jobs.FACT_KINDS == workflows.KINDS
    assert (jobs.DOCUMENT_READY, jobs.CREDIT_BLOCKED) == (
        workflows.DOCUMENT_READY,
        workflows.CREDIT_BLOCKED,
    )


def test_the_jobs_context_discards_facts_unless_wired():
    from jobs._context import _NoFacts

    _NoFacts().record_facts([jobs.Fact("document.ready", "document.ready:x")])
