"""Assessment forms in the database and assessments per member (both backends)."""

from __future__ import annotations

import uuid


import pytest

from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.services.context import Actor, ServiceContext
from commissie_app.domain.codes import Criterion, Role
from commissie_app.domain.errors import DomainError, StaleEditError, ValidationError
from commissie_app.domain.form_loader import shipped_form_paths
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.services import assessments as svc
from commissie_app.services.applications import register_application
from commissie_app.services.attachments import add_attachment
from tests.conftest import make_ctx
from tests.factories import app_data, deferral, org_data

SHIPPED = shipped_form_paths()[0]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

COMPLETE_GRANT = {
    "region_established": "ja", "region_municipality": "Haarlem",
    "crit_code_so": "nee", "crit_se_nl": "nee", "crit_pso30": "ja", "crit_non_profit": "nee",
    "crit_bcorp": "nee", "crit_startup": "nee", "mission_primary": "ja", "impact_domains": ["work"],
    "impact_evidence": "Twaalf mensen met afstand tot de arbeidsmarkt werken hier.", "impact_score": 3,
    "member_advice": "toekennen", "advice_motivation": "Voldoet aan PSO 30+.",
}


def v2_text(change_label: bool = True) -> str:
    text = SHIPPED.read_text(encoding="utf-8").replace("version = 1", "version = 2", 1)
    if change_label:
        # the impact score question disappears; a new question takes its place
        text = text.replace('key = "impact_score"', 'key = "impact_rating"')
    return text


@pytest.fixture
def app_id(ctx):
    return register_application(ctx, org_data(), app_data(Criterion.PSO30))


def test_adopt_stores_exact_text_and_is_idempotent(ctx):
    first = svc.adopt_form(ctx, SHIPPED)
    again = svc.adopt_form(ctx, SHIPPED)
    assert first == again
    rows = svc.list_forms(ctx)
    assert [(r.form_key, r.version) for r in rows] == [("kip-erkenning", 1)]
    assert svc.get_form(ctx, first).source_text == SHIPPED.read_text(encoding="utf-8")


def test_changed_content_with_same_version_is_refused(ctx, tmp_path):
    svc.adopt_form(ctx, SHIPPED)
    changed = SHIPPED.read_text(encoding="utf-8").replace("Motivering van uw advies", "Motivering")
    path = tmp_path / "kip-erkenning-v1.toml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(DomainError, match="versie 1 is al vastgesteld met een andere inhoud"):
        svc.adopt_form(ctx, path)
    assert len(svc.list_forms(ctx)) == 1


def test_current_form_is_highest_version_and_diff(ctx, tmp_path):
    v1 = svc.adopt_form(ctx, SHIPPED)
    path = tmp_path / "v2.toml"
    path.write_text(v2_text(), encoding="utf-8")
    v2 = svc.adopt_form(ctx, path)
    assert svc.current_form(ctx, "kip-erkenning").id == v2
    lines = svc.form_diff(ctx, v1, v2)
    assert any("impact_rating" in line for line in lines)
    assert any("impact_score" in line for line in lines)


def test_member_assessment_keeps_old_version_after_v2(ctx, app_id, tmp_path):
    a = svc.get_or_create_assessment(ctx, app_id)
    assert (a.form.form_id, a.form.version, a.assessor, a.state) == ("kip-erkenning", 1, "Sanne Secretaris", "draft")
    a = svc.save_answers(ctx, a.id, {"region_established": "ja", "impact_score": 3}, a.version)
    path = tmp_path / "v2.toml"
    path.write_text(v2_text(), encoding="utf-8")
    v2 = svc.adopt_form(ctx, path)

    again = svc.get_or_create_assessment(ctx, app_id)
    assert again.id == a.id and again.form.version == 1
    assert "impact_score" in again.form.question_map
    assert again.newer_form_id == v2
    # another member starting now gets version 2
    other = svc.get_or_create_assessment(make_ctx(ctx.db, "Mo Lid", Role.MEMBER), app_id)
    assert other.form.version == 2 and other.newer_form_id is None


def test_move_to_new_version_drops_missing_questions(ctx, app_id, tmp_path):
    a = svc.get_or_create_assessment(ctx, app_id)
    a = svc.save_answers(ctx, a.id, {"region_established": "ja", "mission_primary": "ja", "impact_score": 2},
                         a.version)
    path = tmp_path / "v2.toml"
    path.write_text(v2_text(), encoding="utf-8")
    v2 = svc.adopt_form(ctx, path)
    assert svc.preview_move(ctx, a.id, v2) == ["impact_score"]
    moved, dropped = svc.move_to_form(ctx, a.id, v2)
    assert dropped == ["impact_score"]
    assert moved.form.version == 2
    assert moved.answers == {"region_established": "ja", "mission_primary": "ja"}


def test_draft_may_be_incomplete_final_must_be_complete(ctx, app_id):
    att = add_attachment(ctx, app_id, "pso.pdf", PDF, Criterion.PSO30)
    a = svc.get_or_create_assessment(ctx, app_id)
    a = svc.save_answers(ctx, a.id, {"region_established": "ja"}, a.version)
    assert a.state == "draft" and a.answers == {"region_established": "ja"}
    with pytest.raises(ValidationError) as err:
        svc.save_answers(ctx, a.id, {"region_established": "ja"}, a.version, final=True)
    assert "crit_pso30" in err.value.errors
    with pytest.raises(ValidationError) as err:
        svc.save_answers(ctx, a.id, {"region_established": "misschien"}, a.version)
    assert "region_established" in err.value.errors

    answers = dict(COMPLETE_GRANT, crit_pso30_evidence=str(att))
    final = svc.save_answers(ctx, a.id, answers, a.version, final=True)
    assert final.state == "final"
    assert final.advice is AdviceOutcome.GRANT
    assert "ten minste één erkenningscriterium" in final.advice_reason
    assert final.answers["impact_domains"] == ["work"]
    with pytest.raises(DomainError, match="definitief"):
        svc.save_answers(ctx, a.id, answers, final.version)


def test_evidence_must_be_attachment_of_application(ctx, app_id):
    a = svc.get_or_create_assessment(ctx, app_id)
    with pytest.raises(ValidationError) as err:
        svc.save_answers(ctx, a.id, {"crit_pso30": "ja", "crit_pso30_evidence": "not-an-attachment"}, a.version)
    assert "crit_pso30_evidence" in err.value.errors


def test_stale_edit_is_refused(ctx, app_id):
    a = svc.get_or_create_assessment(ctx, app_id)
    svc.save_answers(ctx, a.id, {"region_established": "ja"}, a.version)
    with pytest.raises(StaleEditError):
        svc.save_answers(ctx, a.id, {"region_established": "nee"}, a.version)
    assert svc.get_assessment(ctx, a.id).answers == {"region_established": "ja"}


def test_advice_is_stored_with_reason(ctx, app_id):
    a = svc.get_or_create_assessment(ctx, app_id)
    a = svc.save_answers(ctx, a.id, {"region_established": "nee"}, a.version)
    assert a.advice is AdviceOutcome.REJECT
    assert "niet gevestigd in de regio" in a.advice_reason
    a = svc.save_answers(ctx, a.id, {"region_established": "ja", "crit_startup": "ja",
                                     "startup_founded_on": "01-03-2026", "mission_primary": "ja",
                                     "crit_startup_evidence": ""}, a.version)
    assert a.advice is AdviceOutcome.DEFER


def test_consolidated_only_by_secretary_and_members_listed(ctx, app_id):
    member = make_ctx(ctx.db, "Mo Lid", Role.MEMBER)
    with pytest.raises(DomainError, match="Als lid mag u niet de beoordeling van de commissie invullen"):
        svc.get_or_create_assessment(member, app_id, kind="consolidated")
    cons = svc.get_or_create_assessment(ctx, app_id, kind="consolidated")
    assert cons.assessor == "commissie"
    mine = svc.get_or_create_assessment(member, app_id)
    svc.save_answers(member, mine.id, {"region_established": "nee"}, mine.version)
    with pytest.raises(DomainError, match="mag u alleen voor uzelf een beoordeling invullen"):
        svc.save_answers(ctx, mine.id, {"region_established": "ja"}, mine.version + 1)
    listed = svc.assessments_for(ctx, app_id)
    assert [(v.kind, v.assessor) for v in listed] == [("member", "Mo Lid"), ("consolidated", "commissie")]
    assert listed[0].advice is AdviceOutcome.REJECT


def test_an_assessment_belongs_to_its_user_not_to_a_display_name(ctx, app_id):
    """Issue 10: the owner is the user record: someone else with the same display name cannot write it."""
    member = make_ctx(ctx.db, "Mo Lid", Role.MEMBER)
    mine = svc.get_or_create_assessment(member, app_id)
    impostor = ServiceContext(ctx.db, Actor("Mo Lid", Role.MEMBER, uuid.uuid4()), today=ctx.today)
    with pytest.raises(PermissionDeniedError, match="alleen voor uzelf"):
        svc.save_answers(impostor, mine.id, {"region_established": "ja"}, mine.version)
    assert svc.get_or_create_assessment(member, app_id).id == mine.id  # still hers, found by her user id


def test_assessment_pdf_names_form_version_on_every_page(ctx, app_id, tmp_path):
    import io

    from pypdf import PdfReader

    from commissie_app.services.assessment_documents import assessment_pdf

    att = add_attachment(ctx, app_id, "pso-certificaat.pdf", PDF, Criterion.PSO30)
    a = svc.get_or_create_assessment(ctx, app_id)
    long_text = " ".join(["Uitgebreide toelichting op de impact."] * 400)
    answers = dict(COMPLETE_GRANT, crit_pso30_evidence=str(att), impact_evidence=long_text[:9000])
    a = svc.save_answers(ctx, a.id, answers, a.version, final=True)
    data = assessment_pdf(ctx, a.id)
    (tmp_path / "a.pdf").write_bytes(data)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    for page in pages:
        assert "Formulier kip-erkenning, versie 1" in page.extract_text()
    text = "\n".join(p.extract_text() for p in pages)
    assert "pso-certificaat.pdf" in text
    assert "Voorgesteld advies: toekennen" in text
    assert "werk en participatie" in text


# --- issue 13: no assessing once the commission has decided -------------------------------------------------------


def _decide(ctx, app_id, decision_type):
    """The application through a meeting to ``decision_type`` (a deferral needs no votes)."""
    from commissie_app.domain.codes import Status
    from commissie_app.domain.voting import Attendance, VoteChoice
    from commissie_app.services import meeting_attendance, meeting_votes
    from commissie_app.services.applications import change_status
    from tests.test_meetings_service import app_item, open_meeting, seat_members

    change_status(ctx, app_id, Status.IN_PROGRESS)
    change_status(ctx, app_id, Status.COMPLETE)
    members = seat_members(ctx)
    mid = open_meeting(ctx, [app_id])
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = app_item(ctx, mid)
    if decision_type.value != "deferred":
        for m in members:
            meeting_votes.record_vote(ctx, item.id, m, VoteChoice.AGAINST)
    meeting_votes.record_decision(ctx, item.id, decision_type, "Motivering.",
                                  **({"content": deferral()} if decision_type.value == "deferred" else {}))


def _count_assessments(ctx) -> int:
    from sqlalchemy import func, select

    from commissie_app.db.models import Assessment

    with ctx.db.session() as s:
        return s.scalar(select(func.count()).select_from(Assessment))


def test_a_decided_application_gets_no_new_assessment_and_the_old_ones_are_read_only(ctx, app_id):
    """Issue 13: once the commission has decided (here: afgewezen), a member without an assessment cannot start one,
    a draft cannot be saved, moved or made final (a Dutch message says why), and a final assessment stays readable."""
    from commissie_app.domain.voting import DecisionType

    mo = make_ctx(ctx.db, "Mo Lid", Role.MEMBER)
    draft = svc.get_or_create_assessment(mo, app_id)
    draft = svc.save_answers(mo, draft.id, {"region_established": "ja"}, draft.version)
    mine = svc.get_or_create_assessment(ctx, app_id)
    final = svc.save_answers(ctx, mine.id, COMPLETE_GRANT, mine.version, final=True)
    _decide(ctx, app_id, DecisionType.REJECTED)
    before = _count_assessments(ctx)

    ria = make_ctx(ctx.db, "Ria Lid", Role.MEMBER)
    with pytest.raises(DomainError, match="Over deze aanvraag is al besloten: een beoordeling kan niet meer"):
        svc.get_or_create_assessment(ria, app_id)
    with pytest.raises(DomainError, match="al besloten"):
        svc.get_or_create_assessment(ctx, app_id, kind=svc.CONSOLIDATED)
    assert _count_assessments(ctx) == before  # nothing half-made
    assert svc.own_assessment_state(ria, app_id) is None

    again = svc.get_or_create_assessment(mo, app_id)  # the draft is still there, to read
    assert again.id == draft.id and again.answers == {"region_established": "ja"}
    assert not again.editable and "al besloten" in again.refusal
    for attempt in (lambda: svc.save_answers(mo, draft.id, {"region_established": "nee"}, draft.version),
                    lambda: svc.save_answers(mo, draft.id, COMPLETE_GRANT, draft.version, final=True)):
        with pytest.raises(DomainError, match="al besloten"):
            attempt()
    assert svc.get_assessment(ctx, draft.id).answers == {"region_established": "ja"}
    assert svc.get_assessment(ctx, draft.id).state == "draft"

    read = svc.get_or_create_assessment(ctx, app_id)
    assert (read.id, read.state, read.answers) == (final.id, "final", final.answers)
    assert svc.own_assessment_state(ctx, app_id) == svc.FINAL
    assert svc.own_assessment_state(mo, app_id) == svc.DRAFT


def test_a_draft_cannot_move_to_a_new_form_version_after_the_decision(ctx, app_id, tmp_path):
    """Issue 13: moving a draft to a newer form version changes it, so it is refused for a decided application."""
    from commissie_app.domain.voting import DecisionType

    mo = make_ctx(ctx.db, "Mo Lid", Role.MEMBER)
    draft = svc.get_or_create_assessment(mo, app_id)
    path = tmp_path / "v2.toml"
    path.write_text(v2_text(), encoding="utf-8")
    v2 = svc.adopt_form(ctx, path)
    _decide(ctx, app_id, DecisionType.REJECTED)
    with pytest.raises(DomainError, match="al besloten"):
        svc.move_to_form(mo, draft.id, v2)
    assert svc.get_assessment(ctx, draft.id).form.version == 1


def test_a_deferred_application_can_still_be_assessed(ctx, app_id):
    """Issue 13: 'aangehouden' sends the application back to 'compleet' for a later meeting: members may start,
    save and finish their assessments."""
    from commissie_app.domain.codes import Status
    from commissie_app.domain.voting import DecisionType
    from commissie_app.services.applications import get_application

    _decide(ctx, app_id, DecisionType.DEFERRED)
    assert get_application(ctx, app_id).status is Status.COMPLETE
    ria = make_ctx(ctx.db, "Ria Lid", Role.MEMBER)
    a = svc.get_or_create_assessment(ria, app_id)
    assert a.editable and a.refusal == ""
    a = svc.save_answers(ria, a.id, {"region_established": "ja"}, a.version)
    done = svc.save_answers(ria, a.id, COMPLETE_GRANT, a.version, final=True)
    assert done.state == "final"


def test_a_withdrawn_application_gets_no_new_assessment(ctx, app_id):
    """Issue 13: an application its applicant withdrew is not assessed either; the message says it is withdrawn."""
    from commissie_app.domain.codes import Status
    from commissie_app.services.applications import change_status

    change_status(ctx, app_id, Status.WITHDRAWN, remark="ingetrokken door de aanvrager")
    with pytest.raises(DomainError, match="Deze aanvraag is ingetrokken"):
        svc.get_or_create_assessment(make_ctx(ctx.db, "Ria Lid", Role.MEMBER), app_id)


def test_the_subject_names_the_organisation_and_carries_evidence_and_attachments(ctx, app_id):
    """Issue 13: what the assessment window shows beside the form: organisation, reference, evidence, attachments."""
    from commissie_app.services.assessment_subject import assessment_subject

    add_attachment(ctx, app_id, "pso-certificaat.pdf", PDF, Criterion.PSO30)
    subject = assessment_subject(ctx, app_id)
    assert subject.organisation == org_data().name
    assert subject.reference == f"KvK {org_data().kvk} · aanvraag van 1 november 2026"
    assert subject.refusal == ""
    assert [e["criterion"] for e in subject.overview["evidence"]] == ["PSO30"]
    assert [a["filename"] for a in subject.overview["attachments"]] == ["pso-certificaat.pdf"]


def test_attachment_choices_name_the_criterion_in_dutch(ctx, app_id):
    """Issue 13: an evidence question offers the application's attachments by file name and the criterion's
    short Dutch label ("bewijs.png (PSO 30+)"), never the code's enum name."""
    from tests.review_builders import png_bytes

    add_attachment(ctx, app_id, "bewijs.png", png_bytes(), Criterion.PSO30)
    add_attachment(ctx, app_id, "statuten.png", png_bytes())
    labels = [label for _id, label in svc.attachment_choices(ctx, app_id)]
    assert labels == [f"bewijs.png ({Criterion.PSO30.short_label})", "statuten.png"]
    assert all("Criterion." not in label for label in labels)
