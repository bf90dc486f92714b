"""Pure domain rules: fast, no database, no Qt."""

import datetime as dt

import pytest

from commissie_app.domain import workflow
from commissie_app.domain.codes import Criterion, LegalForm, Municipality, Status
from commissie_app.domain.errors import TransitionError, ValidationError
from commissie_app.domain.validation import (
    format_date_nl,
    normalise_postcode,
    parse_date,
    validate_application,
    validate_organisation,
)
from tests.factories import app_data, org_data

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", ""])
def test_bad_kvk_is_refused_with_how_to_fix(kvk):
    with pytest.raises(ValidationError) as e:
        validate_organisation(org_data(kvk=kvk), TODAY)
    assert "8 cijfers" in e.value.errors["kvk"]


def test_kvk_with_leading_zero_and_spaces_is_normalised():
    assert validate_organisation(org_data(kvk="0123 4567"), TODAY).kvk == "01234567"


def test_postcode_is_normalised_and_checked():
    assert normalise_postcode("2011rd") == "2011 RD"
    assert validate_organisation(org_data(postcode="2011rd"), TODAY).postcode == "2011 RD"
    with pytest.raises(ValidationError) as e:
        validate_organisation(org_data(postcode="0123 AB"), TODAY)
    assert "1234 AB" in e.value.errors["postcode"]


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as e:
        validate_organisation(org_data(name=" ", kvk="12", email="geen-mail", founded_on=TODAY + dt.timedelta(days=1)), TODAY)
    assert set(e.value.errors) == {"name", "kvk", "email", "founded_on"}
    assert "toekomst" in e.value.errors["founded_on"]


def test_application_needs_a_criterion_and_a_past_date():
    with pytest.raises(ValidationError) as e:
        validate_application(app_data(received_on=TODAY + dt.timedelta(days=2), evidence=()), TODAY)
    assert set(e.value.errors) == {"received_on", "criteria"}


def test_municipality_must_be_one_of_the_seven():
    assert len(Municipality) == 7
    with pytest.raises(ValueError):
        Municipality.from_text("Amsterdam")
    assert Municipality.from_text(" heemstede ") is Municipality.HEEMSTEDE


def test_codes_accept_labels_and_codes():
    assert LegalForm.from_text("Coöperatie") is LegalForm.COOPERATIE
    assert Criterion.from_text("pso30") is Criterion.PSO30
    assert Status.from_text("informatie opgevraagd") is Status.INFO_REQUESTED


def test_dates_parse_both_ways_and_show_in_dutch():
    assert parse_date("01-02-2024") == parse_date("2024-02-01") == dt.date(2024, 2, 1)
    with pytest.raises(ValueError):
        parse_date("2024/02/01")
    assert format_date_nl(dt.date(2026, 11, 23)) == "23 november 2026"


def test_workflow_follows_design():
    S = Status
    assert workflow.allowed_targets(S.RECEIVED) == [S.IN_PROGRESS, S.WITHDRAWN]
    assert workflow.allowed_targets(S.IN_PROGRESS) == [S.INFO_REQUESTED, S.COMPLETE, S.WITHDRAWN]
    assert workflow.allowed_targets(S.INFO_REQUESTED) == [S.IN_PROGRESS, S.WITHDRAWN]
    # geagendeerd and besloten come from the meeting, not from a hand
    assert workflow.allowed_targets(S.COMPLETE) == [S.WITHDRAWN]
    assert workflow.allowed_targets(S.COMPLETE, manual=False) == [S.SCHEDULED, S.WITHDRAWN]
    assert workflow.allowed_targets(S.SCHEDULED, manual=False) == [S.COMPLETE, S.DECIDED, S.WITHDRAWN]
    assert workflow.allowed_targets(S.DECIDED) == [] and workflow.allowed_targets(S.WITHDRAWN) == []


def test_every_open_status_can_be_withdrawn_and_closed_ones_cannot_move():
    for s in Status:
        if s.is_open:
            workflow.check_transition(s, Status.WITHDRAWN, manual=False)
        else:
            with pytest.raises(TransitionError):
                workflow.check_transition(s, Status.IN_PROGRESS, manual=False)


def test_forbidden_transition_message_is_dutch():
    with pytest.raises(TransitionError) as e:
        workflow.check_transition(Status.RECEIVED, Status.COMPLETE)
    assert str(e.value) == "Een aanvraag met status ‘ontvangen’ kan niet naar ‘compleet’."
